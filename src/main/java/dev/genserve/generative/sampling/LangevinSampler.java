package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.sde.ScoreFunction;

/**
 * Unadjusted Langevin dynamics dx = ½σ²∇log p dt + σ dw for a density with a known score (evaluated at a fixed
 * time, e.g. an analytic {@code GaussianMixture}): with step η = σ²dt, x ← x + ½η s(x) + √η z. NFE = N.
 */
public final class LangevinSampler {

    public static final String NAME = "langevin";

    private final double stepSize;

    /** @param stepSize η = σ² dt (> 0) */
    public LangevinSampler(double stepSize) {
        if (!(stepSize > 0)) {
            throw new IllegalArgumentException("stepSize must be > 0, got " + stepSize);
        }
        this.stepSize = stepSize;
    }

    /** Runs N steps from {@code start} (ownership taken) using score(·, time). */
    public SampleResult sample(ScoreFunction score, double time, NDArray start, int steps, RandomSource random,
            int snapshots) {
        float half = (float) (0.5 * stepSize);
        float noise = (float) Math.sqrt(stepSize);
        return StepLoop.run(start, StepLoop.uniform(0, steps * stepSize, steps), snapshots, random, (x, t, dt, last, rng) ->
                x.add(score.score(x, time).mul(half)).add(rng.normal(x.getManager(), x.getShape()).mul(noise)),
                1, 1);
    }
}
