package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.score.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Integrates a forward SDE's reverse-time dynamics from the prior at T down to eps using a score function.
 * Implementations take ownership of {@code start} (drawn from the prior) and free it.
 */
public interface ReverseSampler {

    /** API name, e.g. "euler-maruyama". */
    String name();

    SampleResult sample(Sde sde, ScoreFunction score, NDArray start, int steps, RandomSource random, int snapshots);
}
