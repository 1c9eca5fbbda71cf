package dev.genserve.generative.attractor;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Gaussian N(m, Σ) fitted to simulated end states (sample mean, unbiased covariance) and sampled as
 * x = m + L z with Σ = L Lᵀ (Cholesky, a tiny ridge added if Σ is not positive definite).
 */
public record GaussianPrior(double[] mean, double[][] covariance, double[][] cholesky) {

    private static final int MAGIC = 0x41545052; // "ATPR"

    /** Fits mean and covariance of the rows (at least 2). */
    public static GaussianPrior fit(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        if (n < 2) {
            throw new IllegalArgumentException("fitting a Gaussian needs at least 2 rows, got " + n);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.get(i, j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c[j] = x.get(i, j) - mean[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    cov[a][b] += c[a] * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return of(mean, cov);
    }

    /** N(mean, cov) with its Cholesky factor. */
    public static GaussianPrior of(double[] mean, double[][] cov) {
        return new GaussianPrior(mean, cov, cholesky(cov));
    }

    /** The isotropic Gaussian N(0, v I) in dimension d. */
    public static GaussianPrior isotropic(int d, double variance) {
        double[][] cov = new double[d][d];
        for (int i = 0; i < d; i++) {
            cov[i][i] = variance;
        }
        return of(new double[d], cov);
    }

    public int dimension() {
        return mean.length;
    }

    /** n draws m + L z, z from the given source (row by row). */
    public FloatMatrix sample(int n, RandomSource random) {
        int d = dimension();
        float[] out = new float[n * d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[j] = random.nextGaussian();
            }
            for (int a = 0; a < d; a++) {
                double v = mean[a];
                for (int b = 0; b <= a; b++) {
                    v += cholesky[a][b] * z[b];
                }
                out[i * d + a] = (float) v;
            }
        }
        return new FloatMatrix(out, n, d);
    }

    /** log N(x; m, Σ) = −½‖L⁻¹(x − m)‖² − Σ_i log L_ii − (D/2) log 2π. */
    public double logDensity(float[] x) {
        int d = dimension();
        if (x.length != d) {
            throw new IllegalArgumentException("point has " + x.length + " values, prior has dimension " + d);
        }
        double[] y = new double[d];
        double quadratic = 0;
        double logDet = 0;
        for (int a = 0; a < d; a++) {
            double v = x[a] - mean[a];
            for (int b = 0; b < a; b++) {
                v -= cholesky[a][b] * y[b];
            }
            y[a] = v / cholesky[a][a];
            quadratic += y[a] * y[a];
            logDet += Math.log(cholesky[a][a]);
        }
        return -0.5 * quadratic - logDet - 0.5 * d * Math.log(2 * Math.PI);
    }

    /** Writes dimension, mean and covariance as big-endian doubles. */
    public void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(dimension());
        for (double v : mean) {
            out.writeDouble(v);
        }
        for (double[] row : covariance) {
            for (double v : row) {
                out.writeDouble(v);
            }
        }
        out.flush();
    }

    public static GaussianPrior read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != MAGIC) {
            throw new IOException("not an attractor prior file");
        }
        int d = in.readInt();
        double[] mean = new double[d];
        for (int i = 0; i < d; i++) {
            mean[i] = in.readDouble();
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                cov[i][j] = in.readDouble();
            }
        }
        return of(mean, cov);
    }

    private static double[][] cholesky(double[][] cov) {
        int d = cov.length;
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += cov[i][i];
        }
        double ridge = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            double[][] l = tryCholesky(cov, ridge);
            if (l != null) {
                return l;
            }
            ridge = ridge == 0 ? 1e-9 * Math.max(trace / Math.max(d, 1), 1e-12) : ridge * 10;
        }
        throw new IllegalArgumentException("covariance is not positive semi-definite");
    }

    private static double[][] tryCholesky(double[][] a, double ridge) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return null;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }
}
