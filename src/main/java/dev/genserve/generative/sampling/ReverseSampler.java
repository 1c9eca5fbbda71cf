package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Integrates a forward SDE's reverse-time dynamics ({@link Sde#reverse}) from its prior at T down to eps with a
 * score function, on a descending time grid. Implementations take ownership of {@code start} (drawn from the prior)
 * and free it. Samplers are looked up by name in {@link SamplerRegistry}.
 */
public interface ReverseSampler {

    /** API name, e.g. "euler-maruyama". */
    String name();

    /** Integrates over {@code times} = T = t₀ &gt; t₁ &gt; … &gt; t_N = eps. */
    SampleResult sample(Sde sde, ScoreFunction score, NDArray start, double[] times, RandomSource random,
            int snapshots);

    /** Integrates on N uniform steps from T to eps. */
    default SampleResult sample(Sde sde, ScoreFunction score, NDArray start, int steps, RandomSource random,
            int snapshots) {
        return sample(sde, score, start, uniformGrid(sde, steps), random, snapshots);
    }

    /** The uniform grid from T down to eps in N steps. */
    static double[] uniformGrid(Sde sde, int steps) {
        return StepLoop.uniform(sde.horizon(), sde.eps(), steps);
    }
}
