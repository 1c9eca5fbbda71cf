package dev.genserve.generative.metrics;

import dev.genserve.generative.FloatMatrix;
import java.util.stream.IntStream;

/**
 * Energy distance in the form E‖X−Y‖ − ½E‖X−X'‖ − ½E‖Y−Y'‖ (half of Székely's 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖),
 * with unbiased within-sample means over pairs i ≠ j. It is zero iff p = q, so estimates are ≥ 0 up to noise.
 */
public final class EnergyDistance {

    private static final int CHUNK = 1 << 16;

    private EnergyDistance() {
    }

    /** The energy distance between the rows of x and the rows of y (each needs ≥ 2 rows). */
    public static double compute(FloatMatrix x, FloatMatrix y) {
        return compute(PairwiseDistances.of(x, y));
    }

    static double compute(PairwiseDistances dist) {
        int m = dist.m;
        int n = dist.n;
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("energy distance needs at least 2 rows per sample, got " + m + " and " + n);
        }
        double exy = sqrtSum(dist.xy) / ((double) m * n);
        double exx = 2.0 * sqrtSum(dist.xx) / ((double) m * (m - 1));
        double eyy = 2.0 * sqrtSum(dist.yy) / ((double) n * (n - 1));
        return exy - 0.5 * exx - 0.5 * eyy;
    }

    private static double sqrtSum(float[] sq) {
        int chunks = (sq.length + CHUNK - 1) / CHUNK;
        IntStream s = IntStream.range(0, chunks);
        if (chunks > 1) {
            s = s.parallel();
        }
        return s.mapToDouble(c -> {
            int from = c * CHUNK;
            int to = Math.min(sq.length, from + CHUNK);
            double acc = 0.0;
            for (int i = from; i < to; i++) {
                acc += Math.sqrt(sq[i]);
            }
            return acc;
        }).sum();
    }
}
