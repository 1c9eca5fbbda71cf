package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.sde.ReverseSde;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Euler–Maruyama on the reverse SDE ({@link Sde#reverse}, drift F = f − g²s, diffusion g) from T to eps: with
 * h = t_i − t_{i+1} &gt; 0, x ← x − F(x, t_i) h + g(t_i)√h z; the last step adds no noise. NFE = N.
 */
public final class EulerMaruyamaSampler implements ReverseSampler {

    public static final String NAME = "euler-maruyama";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SampleResult sample(Sde sde, ScoreFunction score, NDArray start, double[] times, RandomSource random,
            int snapshots) {
        ReverseSde reverse = sde.reverse(score, false);
        return StepLoop.run(start, times, snapshots, random, (x, t, dt, last, rng) -> {
            double h = -dt;
            NDArray mean = x.sub(reverse.drift(x, t).mul((float) h));
            if (last) {
                return mean;
            }
            return mean.add(rng.normal(x.getManager(), x.getShape()).mul((float) (reverse.diffusion(t) * Math.sqrt(h))));
        }, 1, 1);
    }
}
