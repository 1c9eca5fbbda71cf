package dev.genserve.generative.metrics;

import java.util.Arrays;

/**
 * How {@link QualityReport} measures: at most {@code maxPoints} rows per set, fewer in high dimension so that the
 * O(n²·D) distance work stays under {@code maxWork} (n ≤ √(maxWork / D)); the seed of the subsampling; the MMD
 * bandwidths as multiples of the reference's median pairwise distance; and k of the k-NN balls.
 *
 * @param maxPoints rows per set at most (2000)
 * @param maxWork bound on n²·D (2000² · 256: 2000 rows up to D = 256, 1143 rows at D = 784)
 * @param seed seed of the subsampling (0)
 * @param bandwidthMultipliers MMD bandwidths σ = multiplier × median reference distance ({0.1, 0.3, 1})
 * @param kPrecisionRecall k of precision/recall and of the mode assignment (3)
 * @param kDensityCoverage k of density/coverage (5)
 */
public record QualitySettings(int maxPoints, long maxWork, long seed, double[] bandwidthMultipliers,
        int kPrecisionRecall, int kDensityCoverage) {

    public static final QualitySettings DEFAULT =
            new QualitySettings(2000, 2000L * 2000 * 256, 0L, new double[] {0.1, 0.3, 1.0}, 3, 5);

    public QualitySettings {
        if (maxPoints < 8) {
            throw new IllegalArgumentException("maxPoints must be ≥ 8, got " + maxPoints);
        }
        if (maxWork < 1) {
            throw new IllegalArgumentException("maxWork must be ≥ 1, got " + maxWork);
        }
        if (bandwidthMultipliers == null || bandwidthMultipliers.length == 0
                || Arrays.stream(bandwidthMultipliers).anyMatch(b -> !(b > 0) || Double.isInfinite(b))) {
            throw new IllegalArgumentException("bandwidthMultipliers must be positive and finite");
        }
        if (kPrecisionRecall < 1 || kDensityCoverage < 1) {
            throw new IllegalArgumentException("k must be ≥ 1");
        }
        bandwidthMultipliers = bandwidthMultipliers.clone();
    }

    @Override
    public double[] bandwidthMultipliers() {
        return bandwidthMultipliers.clone();
    }

    /** The number of rows per set for data of this dimension when {@code available} rows exist in every set. */
    public int points(int dimension, int available) {
        long byWork = (long) Math.floor(Math.sqrt((double) maxWork / Math.max(1, dimension)));
        return (int) Math.max(Math.min(available, 2), Math.min(Math.min(maxPoints, byWork), available));
    }

    public QualitySettings withSeed(long value) {
        return new QualitySettings(maxPoints, maxWork, value, bandwidthMultipliers, kPrecisionRecall,
                kDensityCoverage);
    }

    public QualitySettings withMaxPoints(int value) {
        return new QualitySettings(value, maxWork, seed, bandwidthMultipliers, kPrecisionRecall, kDensityCoverage);
    }
}
