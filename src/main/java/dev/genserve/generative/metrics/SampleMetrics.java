package dev.genserve.generative.metrics;

/**
 * Every quality metric of one set of samples against reference data, at one sample size.
 *
 * @param nn1Accuracy leave-one-out 1-NN two-sample accuracy (0.5 ideal, 1 separable)
 * @param mmd2 biased MMD² at each bandwidth of the report (0 ideal; compare with its floor)
 * @param manifold precision, recall, density and coverage
 * @param slicedWasserstein sliced W2 (128 directions), data units; blind to thin structure, never rank on it alone
 * @param energyDistance energy distance, data units; likewise
 * @param modes mass per mode, when the reference is labelled by its components; null otherwise
 */
public record SampleMetrics(double nn1Accuracy, double[] mmd2, ManifoldMetrics manifold, double slicedWasserstein,
        double energyDistance, ModeCoverage modes) {

    static SampleMetrics compute(dev.genserve.generative.FloatMatrix x, dev.genserve.generative.FloatMatrix y,
            PairwiseDistances d, double[] bandwidths, int[] yLabels, int numClasses, QualitySettings s) {
        return new SampleMetrics(
                NearestNeighbourAccuracy.compute(d),
                Mmd.biasedPerBandwidth(d, bandwidths),
                ManifoldMetrics.compute(d, s.kPrecisionRecall(), s.kDensityCoverage()),
                SlicedWasserstein.sw2(x, y),
                EnergyDistance.compute(d),
                yLabels == null ? null : ModeCoverage.compute(d, yLabels, numClasses, s.kPrecisionRecall()));
    }
}
