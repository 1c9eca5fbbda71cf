package dev.genserve.generative.metrics;

import dev.genserve.generative.FloatMatrix;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sample-quality summary of generated samples against reference data: unbiased MMD² (Gaussian kernels, median
 * heuristic × {0.5, 1, 2}), sliced W2 (K = 128, seed 0) and energy distance E‖X−Y‖ − ½E‖X−X'‖ − ½E‖Y−Y'‖.
 * Lower is better for all three. Each set is first subsampled (seeded, without replacement) to at most
 * {@code maxPoints} rows, so the O(n² d) kernel terms stay bounded.
 *
 * @param mmd               unbiased squared MMD (may be slightly negative when the sets match)
 * @param slicedWasserstein SW2 in data units
 * @param energyDistance    energy distance in data units
 */
public record SampleQuality(double mmd, double slicedWasserstein, double energyDistance) {

    public static final int DEFAULT_MAX_POINTS = 2000;
    public static final long DEFAULT_SEED = 0L;

    /** Metrics with at most 2000 points per set, subsample seed 0. */
    public static SampleQuality of(FloatMatrix samples, FloatMatrix reference) {
        return of(samples, reference, DEFAULT_MAX_POINTS, DEFAULT_SEED);
    }

    /** Metrics with at most {@code maxPoints} points per set, subsampled deterministically from {@code seed}. */
    public static SampleQuality of(FloatMatrix samples, FloatMatrix reference, int maxPoints, long seed) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be ≥ 2, got " + maxPoints);
        }
        SplittableRandom root = new SplittableRandom(seed);
        FloatMatrix x = subsample(samples, maxPoints, root.split());
        FloatMatrix y = subsample(reference, maxPoints, root.split());
        PairwiseDistances dist = PairwiseDistances.of(x, y);
        double mmd = Mmd.medianHeuristic(Mmd.DEFAULT_MULTIPLIERS).compute(dist);
        double energy = EnergyDistance.compute(dist);
        double sw = SlicedWasserstein.sw2(x, y);
        return new SampleQuality(mmd, sw, energy);
    }

    /** At most {@code maxPoints} distinct rows of {@code a}, chosen uniformly by a partial Fisher-Yates shuffle. */
    public static FloatMatrix subsample(FloatMatrix a, int maxPoints, long seed) {
        return subsample(a, maxPoints, new SplittableRandom(seed));
    }

    private static FloatMatrix subsample(FloatMatrix a, int maxPoints, SplittableRandom rng) {
        int n = a.rows();
        if (n <= maxPoints) {
            return a;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < maxPoints; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return a.selectRows(Arrays.copyOf(idx, maxPoints));
    }

    /** The metrics under stable names, for storing on a model version. */
    public Map<String, Double> asMap() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("mmd2", mmd);
        out.put("sliced_w2", slicedWasserstein);
        out.put("energy_distance", energyDistance);
        return out;
    }
}
