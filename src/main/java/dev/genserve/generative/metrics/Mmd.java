package dev.genserve.generative.metrics;

import dev.genserve.generative.FloatMatrix;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Squared maximum mean discrepancy, unbiased U-statistic, with a sum of Gaussian RBF kernels
 * k(a,b) = Σ_σ exp(−‖a−b‖² / (2σ²)):
 * <pre>
 * MMD²_u = 1/(m(m−1)) Σ_{i≠j} k(x_i,x_j) + 1/(n(n−1)) Σ_{i≠j} k(y_i,y_j) − 2/(mn) Σ_{i,j} k(x_i,y_j)
 * </pre>
 * The bandwidths σ are either fixed by the caller or, by default, the median pairwise distance of the pooled
 * sample x ∪ y times {0.5, 1, 2}. Being unbiased, the estimate can be slightly negative when p = q.
 */
public final class Mmd {

    /** Multipliers of the median heuristic used by {@link #mmd2(FloatMatrix, FloatMatrix)}. */
    public static final double[] DEFAULT_MULTIPLIERS = {0.5, 1.0, 2.0};

    private static final Mmd DEFAULT = medianHeuristic(DEFAULT_MULTIPLIERS);
    private static final int CHUNK = 1 << 16;

    private final double[] multipliers;
    private final double[] fixedBandwidths;

    private Mmd(double[] multipliers, double[] fixedBandwidths) {
        this.multipliers = multipliers;
        this.fixedBandwidths = fixedBandwidths;
    }

    /** Bandwidths σ = median pooled pairwise distance × each multiplier. */
    public static Mmd medianHeuristic(double... multipliers) {
        return new Mmd(positive(multipliers, "multipliers"), null);
    }

    /** Fixed bandwidths σ (in data units), independent of the samples. */
    public static Mmd fixedBandwidths(double... bandwidths) {
        return new Mmd(null, positive(bandwidths, "bandwidths"));
    }

    /** MMD² with the default kernel (median heuristic × {0.5, 1, 2}). */
    public static double mmd2(FloatMatrix x, FloatMatrix y) {
        return DEFAULT.compute(x, y);
    }

    /** The unbiased MMD² estimate between the rows of x and the rows of y (each needs ≥ 2 rows). */
    public double compute(FloatMatrix x, FloatMatrix y) {
        return compute(PairwiseDistances.of(x, y));
    }

    /** The bandwidths σ this instance would use for x and y. */
    public double[] bandwidths(FloatMatrix x, FloatMatrix y) {
        return bandwidths(PairwiseDistances.of(x, y));
    }

    double[] bandwidths(PairwiseDistances dist) {
        if (fixedBandwidths != null) {
            return fixedBandwidths.clone();
        }
        double median = dist.pooledMedianDistance();
        if (!(median > 0)) {
            median = 1.0; // all points coincide: any bandwidth gives the same (zero) answer
        }
        double[] out = new double[multipliers.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = median * multipliers[i];
        }
        return out;
    }

    double compute(PairwiseDistances dist) {
        int m = dist.m;
        int n = dist.n;
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("unbiased MMD needs at least 2 rows per sample, got " + m + " and " + n);
        }
        double[] bw = bandwidths(dist);
        double[] coef = new double[bw.length];
        for (int i = 0; i < bw.length; i++) {
            coef[i] = -1.0 / (2.0 * bw[i] * bw[i]);
        }
        // Each unordered pair appears twice in Σ_{i≠j}.
        double kxx = 2.0 * kernelSum(dist.xx, coef) / ((double) m * (m - 1));
        double kyy = 2.0 * kernelSum(dist.yy, coef) / ((double) n * (n - 1));
        double kxy = kernelSum(dist.xy, coef) / ((double) m * n);
        return kxx + kyy - 2.0 * kxy;
    }

    /**
     * The biased (V-statistic) MMD² at each bandwidth σ separately:
     * MMD²_b = (1/m²) Σ_{i,j} k(x_i,x_j) + (1/n²) Σ_{i,j} k(y_i,y_j) − (2/(mn)) Σ_{i,j} k(x_i,y_j), diagonal terms
     * included, so it is never negative. Its expectation when p = q is (1 − E k(x,x'))(1/m + 1/n) &gt; 0: the floor
     * measured between two real samples of the same sizes, which makes "× the floor" a meaningful ratio.
     */
    static double[] biasedPerBandwidth(PairwiseDistances dist, double[] bandwidths) {
        int m = dist.m;
        int n = dist.n;
        double[] out = new double[bandwidths.length];
        for (int b = 0; b < bandwidths.length; b++) {
            double[] coef = {-1.0 / (2.0 * bandwidths[b] * bandwidths[b])};
            double kxx = (2.0 * kernelSum(dist.xx, coef) + m) / ((double) m * m);
            double kyy = (2.0 * kernelSum(dist.yy, coef) + n) / ((double) n * n);
            double kxy = kernelSum(dist.xy, coef) / ((double) m * n);
            out[b] = Math.max(0.0, kxx + kyy - 2.0 * kxy);
        }
        return out;
    }

    /**
     * Σ over entries of Σ_k exp(coef_k · d²). When every coef_k is an integer multiple r_k of the smallest |coef|
     * (as for the default multipliers {0.5, 1, 2}: r = 16, 4, 1), one exp per entry is computed and the other
     * kernels are its integer powers.
     */
    private static double kernelSum(float[] sq, double[] coef) {
        double base = coef[0];
        for (double c : coef) {
            if (Math.abs(c) < Math.abs(base)) {
                base = c;
            }
        }
        int[] powers = new int[coef.length];
        boolean integral = true;
        for (int k = 0; k < coef.length; k++) {
            double r = coef[k] / base;
            long ri = Math.round(r);
            powers[k] = (int) ri;
            integral &= ri >= 1 && ri <= 1024 && Math.abs(r - ri) < 1e-9 * r;
        }
        double b = base;
        boolean usePowers = integral;
        int chunks = (sq.length + CHUNK - 1) / CHUNK;
        IntStream s = IntStream.range(0, chunks);
        if (chunks > 1) {
            s = s.parallel();
        }
        return s.mapToDouble(c -> {
            int from = c * CHUNK;
            int to = Math.min(sq.length, from + CHUNK);
            double acc = 0.0;
            if (usePowers) {
                for (int i = from; i < to; i++) {
                    double q = Math.exp(b * sq[i]);
                    for (int p : powers) {
                        acc += intPow(q, p);
                    }
                }
            } else {
                for (double ck : coef) {
                    for (int i = from; i < to; i++) {
                        acc += Math.exp(ck * sq[i]);
                    }
                }
            }
            return acc;
        }).sum();
    }

    private static double intPow(double q, int p) {
        double result = 1.0;
        double sq = q;
        while (p > 0) {
            if ((p & 1) != 0) {
                result *= sq;
            }
            sq *= sq;
            p >>= 1;
        }
        return result;
    }

    private static double[] positive(double[] values, String what) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (double v : values) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " must be positive and finite: " + Arrays.toString(values));
            }
        }
        return values.clone();
    }

    @Override
    public String toString() {
        return fixedBandwidths != null
                ? "Mmd[bandwidths=" + Arrays.toString(fixedBandwidths) + "]"
                : "Mmd[median × " + Arrays.toString(multipliers) + "]";
    }
}
