package dev.genserve.sampling;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleResult;
import java.util.List;

/**
 * Samples in data units, ready to encode: which version (and family) made them, the seed used, the shape of one
 * sample, the network evaluations spent, trajectory snapshots (also in data units) when asked for, and the class of
 * each sample for class-conditional models (null otherwise).
 */
public record SampleOutput(String model, int version, String family, long seed, int[] sampleShape, FloatMatrix samples,
        int functionEvaluations, List<SampleResult.Snapshot> trajectory, double millis, int[] labels) {}
