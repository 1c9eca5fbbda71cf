package dev.genserve.generative.density;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.sde.ScoreFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * A Gaussian mixture p(x) = Σ_k w_k N(x; μ_k, Σ_k) with exact sampling, log-density (log-sum-exp) and score
 * ∇log p(x) = Σ_k r_k(x)(−Σ_k⁻¹(x − μ_k)), r_k the responsibilities. As a {@link ScoreFunction} it ignores t.
 */
public final class GaussianMixture implements ScoreFunction {

    private final double[] weights;
    private final List<GaussianDensity> components;

    public GaussianMixture(double[] weights, List<GaussianDensity> components) {
        if (weights.length != components.size() || weights.length == 0) {
            throw new IllegalArgumentException("need one weight per component");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w > 0)) {
                throw new IllegalArgumentException("weights must be > 0");
            }
            total += w;
        }
        this.weights = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            this.weights[k] = weights[k] / total;
        }
        this.components = List.copyOf(components);
        int d = components.get(0).dimension();
        for (GaussianDensity c : components) {
            if (c.dimension() != d) {
                throw new IllegalArgumentException("components differ in dimension");
            }
        }
    }

    /** Mixture of isotropic components N(μ_k, σ_k² I). */
    public static GaussianMixture isotropic(double[] weights, double[][] means, double[] stds) {
        List<GaussianDensity> list = new ArrayList<>();
        for (int k = 0; k < means.length; k++) {
            list.add(GaussianDensity.isotropic(means[k], stds[k]));
        }
        return new GaussianMixture(weights, list);
    }

    public int dimension() {
        return components.get(0).dimension();
    }

    public int size() {
        return weights.length;
    }

    public double weight(int k) {
        return weights[k];
    }

    public GaussianDensity component(int k) {
        return components.get(k);
    }

    /** Draws with the component each came from. */
    public record LabeledSample(FloatMatrix points, int[] labels) {}

    /** n exact draws. */
    public FloatMatrix sample(int n, RandomSource random) {
        return sampleLabeled(n, random).points();
    }

    /** n exact draws, each with the index of its component. */
    public LabeledSample sampleLabeled(int n, RandomSource random) {
        int d = dimension();
        float[] out = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            int k = 0;
            while (k < weights.length - 1 && (u -= weights[k]) >= 0) {
                k++;
            }
            labels[i] = k;
            components.get(k).sampleInto(out, i * d, random);
        }
        return new LabeledSample(new FloatMatrix(out, n, d), labels);
    }

    /** Per-component log w_k + log N_k(x) for x = values[offset..). */
    private double[] logJoint(float[] values, int offset) {
        double[] lj = new double[weights.length];
        for (int k = 0; k < lj.length; k++) {
            lj[k] = Math.log(weights[k]) + components.get(k).logProb(values, offset);
        }
        return lj;
    }

    private static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    public double logProb(float[] x) {
        return logSumExp(logJoint(x, 0));
    }

    /** log p of every row. */
    public double[] logProb(FloatMatrix x) {
        double[] out = new double[x.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = logSumExp(logJoint(x.data(), i * x.cols()));
        }
        return out;
    }

    /** The component with the largest responsibility for each row. */
    public int[] assign(FloatMatrix x) {
        int[] out = new int[x.rows()];
        for (int i = 0; i < out.length; i++) {
            double[] lj = logJoint(x.data(), i * x.cols());
            int best = 0;
            for (int k = 1; k < lj.length; k++) {
                if (lj[k] > lj[best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Exact score of every row of a row-major N × D array. */
    public float[] score(float[] values, int rows) {
        int d = dimension();
        float[] out = new float[rows * d];
        double[] acc = new double[d];
        for (int i = 0; i < rows; i++) {
            double[] lj = logJoint(values, i * d);
            double lse = logSumExp(lj);
            java.util.Arrays.fill(acc, 0);
            for (int k = 0; k < lj.length; k++) {
                double r = Math.exp(lj[k] - lse);
                if (r > 1e-300) {
                    components.get(k).addScore(values, i * d, r, acc);
                }
            }
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) acc[j];
            }
        }
        return out;
    }

    /** Mean Σ w_k μ_k. */
    public double[] mean() {
        int d = dimension();
        double[] m = new double[d];
        for (int k = 0; k < weights.length; k++) {
            double[] mk = components.get(k).mean();
            for (int j = 0; j < d; j++) {
                m[j] += weights[k] * mk[j];
            }
        }
        return m;
    }

    /** Covariance Σ w_k (Σ_k + μ_k μ_kᵀ) − μμᵀ. */
    public double[][] covariance() {
        int d = dimension();
        double[] m = mean();
        double[][] c = new double[d][d];
        for (int k = 0; k < weights.length; k++) {
            double[] mk = components.get(k).mean();
            double[][] ck = components.get(k).covariance();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += weights[k] * (ck[i][j] + mk[i] * mk[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                c[i][j] -= m[i] * m[j];
            }
        }
        return c;
    }

    @Override
    public NDArray score(NDArray x, double t) {
        int rows = Math.toIntExact(x.getShape().get(0));
        return x.getManager().create(score(x.toFloatArray(), rows), x.getShape());
    }
}
