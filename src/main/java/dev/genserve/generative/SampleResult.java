package dev.genserve.generative;

import java.util.List;

/**
 * Samples in the generator's (standardised) space, the number of network evaluations spent, and, when asked,
 * snapshots along the trajectory with their times (first = start, last = the samples).
 */
public record SampleResult(FloatMatrix samples, int functionEvaluations, List<Snapshot> trajectory) {

    /** The particle positions at time {@code t} of the sampling process. */
    public record Snapshot(double t, FloatMatrix points) {}

    public SampleResult(FloatMatrix samples, int functionEvaluations) {
        this(samples, functionEvaluations, List.of());
    }
}
