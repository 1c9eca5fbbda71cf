package dev.genserve.generative;

import java.util.List;

/**
 * Samples in the generator's (standardised) space, the number of network evaluations spent, when asked, snapshots
 * along the trajectory with their times (first = start, last = the samples), and, for class-conditional
 * generators, the class each sample was generated for (null otherwise).
 */
public record SampleResult(FloatMatrix samples, int functionEvaluations, List<Snapshot> trajectory, int[] labels) {

    /** The particle positions at time {@code t} of the sampling process. */
    public record Snapshot(double t, FloatMatrix points) {}

    public SampleResult {
        if (labels != null && labels.length != samples.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + samples.rows() + " samples");
        }
    }

    public SampleResult(FloatMatrix samples, int functionEvaluations, List<Snapshot> trajectory) {
        this(samples, functionEvaluations, trajectory, null);
    }

    public SampleResult(FloatMatrix samples, int functionEvaluations) {
        this(samples, functionEvaluations, List.of(), null);
    }

    /** The same result with the class of each sample. */
    public SampleResult withLabels(int[] classes) {
        return new SampleResult(samples, functionEvaluations, trajectory, classes);
    }
}
