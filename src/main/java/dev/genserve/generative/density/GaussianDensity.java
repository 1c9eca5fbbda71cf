package dev.genserve.generative.density;

import dev.genserve.generative.RandomSource;

/**
 * A multivariate normal N(μ, Σ) in plain double arithmetic (for small D): samples μ + Lz with Σ = LLᵀ,
 * log p(x) = −½(x−μ)ᵀΣ⁻¹(x−μ) − ½log|2πΣ| and score ∇log p(x) = −Σ⁻¹(x − μ).
 */
public final class GaussianDensity {

    private final double[] mean;
    private final double[][] cov;
    private final double[][] chol;
    private final double[][] precision;
    private final double logNormaliser;

    public GaussianDensity(double[] mean, double[][] cov) {
        int d = mean.length;
        if (cov.length != d) {
            throw new IllegalArgumentException("covariance must be " + d + "×" + d);
        }
        this.mean = mean.clone();
        this.cov = new double[d][];
        for (int i = 0; i < d; i++) {
            if (cov[i].length != d) {
                throw new IllegalArgumentException("covariance must be " + d + "×" + d);
            }
            this.cov[i] = cov[i].clone();
        }
        this.chol = cholesky(this.cov);
        this.precision = inverseFromCholesky(chol);
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            logDet += 2 * Math.log(chol[i][i]);
        }
        this.logNormaliser = -0.5 * (d * Math.log(2 * Math.PI) + logDet);
    }

    /** N(μ, σ² I). */
    public static GaussianDensity isotropic(double[] mean, double std) {
        double[][] cov = new double[mean.length][mean.length];
        for (int i = 0; i < mean.length; i++) {
            cov[i][i] = std * std;
        }
        return new GaussianDensity(mean, cov);
    }

    public int dimension() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[][] covariance() {
        double[][] c = new double[cov.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = cov[i].clone();
        }
        return c;
    }

    /** n draws μ + Lz as an n × D matrix. */
    public dev.genserve.generative.FloatMatrix sample(int n, RandomSource random) {
        int d = mean.length;
        float[] out = new float[Math.multiplyExact(n, d)];
        for (int i = 0; i < n; i++) {
            sampleInto(out, i * d, random);
        }
        return new dev.genserve.generative.FloatMatrix(out, n, d);
    }

    /** One draw μ + Lz written into out[offset..offset+D). */
    void sampleInto(float[] out, int offset, RandomSource random) {
        int d = mean.length;
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            z[i] = random.nextGaussian();
        }
        for (int i = 0; i < d; i++) {
            double v = mean[i];
            for (int j = 0; j <= i; j++) {
                v += chol[i][j] * z[j];
            }
            out[offset + i] = (float) v;
        }
    }

    /** log p(x) for x = values[offset..offset+D). */
    public double logProb(float[] values, int offset) {
        int d = mean.length;
        double q = 0;
        for (int i = 0; i < d; i++) {
            double ri = values[offset + i] - mean[i];
            for (int j = 0; j < d; j++) {
                q += ri * precision[i][j] * (values[offset + j] - mean[j]);
            }
        }
        return logNormaliser - 0.5 * q;
    }

    /** Adds w·(−Σ⁻¹(x − μ)) into out[offset..). */
    void addScore(float[] values, int offset, double w, double[] out) {
        int d = mean.length;
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s -= precision[i][j] * (values[offset + j] - mean[j]);
            }
            out[i] += w * s;
        }
    }

    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("covariance is not positive definite");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    static double[][] inverseFromCholesky(double[][] l) {
        int n = l.length;
        double[][] inv = new double[n][n];
        for (int col = 0; col < n; col++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = i == col ? 1 : 0;
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * y[k];
                }
                y[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * inv[k][col];
                }
                inv[i][col] = s / l[i][i];
            }
        }
        return inv;
    }
}
