package dev.genserve.generative.metrics;

import dev.genserve.generative.FloatMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Sliced Wasserstein-2 distance over K random unit directions θ_k (uniform on the sphere, from a fixed seed):
 * <pre>
 * SW2 = sqrt( (1/K) Σ_k W2²(θ_k·X, θ_k·Y) )
 * </pre>
 * where each 1-D W2² = ∫₀¹ (F⁻¹(u) − G⁻¹(u))² du is computed exactly from the sorted projections; with equal sizes
 * that is the mean squared difference of the sorted values, with unequal sizes the empirical quantile functions
 * are compared on the merged grid of levels i/m and j/n. The result is in data units (a distance, not squared).
 */
public final class SlicedWasserstein {

    public static final int DEFAULT_DIRECTIONS = 128;
    public static final long DEFAULT_SEED = 0L;

    private static final SlicedWasserstein DEFAULT = new SlicedWasserstein(DEFAULT_DIRECTIONS, DEFAULT_SEED);

    private final int directions;
    private final long seed;

    /** An estimator with {@code directions} random directions drawn from {@code seed}. */
    public SlicedWasserstein(int directions, long seed) {
        if (directions < 1) {
            throw new IllegalArgumentException("directions must be ≥ 1, got " + directions);
        }
        this.directions = directions;
        this.seed = seed;
    }

    /** SW2 with K = 128 directions from seed 0. */
    public static double sw2(FloatMatrix x, FloatMatrix y) {
        return DEFAULT.compute(x, y);
    }

    public int directions() {
        return directions;
    }

    public long seed() {
        return seed;
    }

    /** SW2 between the rows of x and the rows of y (same number of columns, ≥ 1 row each). */
    public double compute(FloatMatrix x, FloatMatrix y) {
        if (x.cols() != y.cols()) {
            throw new IllegalArgumentException("dimension mismatch: " + x.cols() + " vs " + y.cols());
        }
        if (x.rows() == 0 || y.rows() == 0) {
            throw new IllegalArgumentException("both samples need at least one row");
        }
        int d = x.cols();
        float[] theta = unitDirections(directions, d, seed);
        IntStream ks = IntStream.range(0, directions);
        if ((long) (x.rows() + y.rows()) * d * directions >= 1L << 20) {
            ks = ks.parallel();
        }
        double total = ks.mapToDouble(k -> {
            float[] px = project(x, theta, k * d);
            float[] py = project(y, theta, k * d);
            Arrays.sort(px);
            Arrays.sort(py);
            return w2Squared1d(px, py);
        }).sum();
        return Math.sqrt(total / directions);
    }

    /** K unit vectors of dimension d, row-major K × d, Gaussian draws normalised (uniform on the sphere). */
    static float[] unitDirections(int k, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[k * d];
        double[] v = new double[d];
        for (int i = 0; i < k; i++) {
            double norm;
            do {
                norm = 0;
                for (int j = 0; j < d; j++) {
                    v[j] = rng.nextGaussian();
                    norm += v[j] * v[j];
                }
            } while (norm == 0);
            double inv = 1.0 / Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) (v[j] * inv);
            }
        }
        return out;
    }

    private static float[] project(FloatMatrix a, float[] theta, int offset) {
        int n = a.rows();
        int d = a.cols();
        float[] data = a.data();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int base = i * d;
            float s0 = 0f, s1 = 0f;
            int j = 0;
            for (; j + 1 < d; j += 2) {
                s0 += data[base + j] * theta[offset + j];
                s1 += data[base + j + 1] * theta[offset + j + 1];
            }
            if (j < d) {
                s0 += data[base + j] * theta[offset + j];
            }
            out[i] = s0 + s1;
        }
        return out;
    }

    /** Exact W2² between two sorted 1-D empirical measures with uniform weights. */
    static double w2Squared1d(float[] a, float[] b) {
        int m = a.length;
        int n = b.length;
        if (m == n) {
            double acc = 0;
            for (int i = 0; i < m; i++) {
                double t = (double) a[i] - b[i];
                acc += t * t;
            }
            return acc / m;
        }
        // Quantile levels in units of 1/(m n): a's i-th value covers (i n, (i+1) n], b's j-th covers (j m, (j+1) m].
        long u = 0;
        int i = 0;
        int j = 0;
        double acc = 0;
        while (i < m && j < n) {
            long ea = (long) (i + 1) * n;
            long eb = (long) (j + 1) * m;
            long next = Math.min(ea, eb);
            double t = (double) a[i] - b[j];
            acc += (next - u) * t * t;
            u = next;
            if (ea == next) {
                i++;
            }
            if (eb == next) {
                j++;
            }
        }
        return acc / ((double) m * n);
    }
}
