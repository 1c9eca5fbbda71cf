package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The Fréchet distance between Gaussians fitted to two sets of feature rows (the W2 distance of the fits, as in
 * FID): FD = ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁^½ Σ₂ Σ₁^½)^½, with unbiased covariances in double precision and
 * the square roots through symmetric eigendecompositions (negative round-off eigenvalues clamped to 0).
 */
record FrechetDistance(double[] mean, double[][] cov) {

    /** The fit of the rows of {@code x}. */
    static FrechetDistance fit(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        float[] data = x.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c[j] = data[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                if (c[a] == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = 0; b <= a; b++) {
                    row[b] += c[a] * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a][b] /= Math.max(1, n - 1);
                cov[b][a] = cov[a][b];
            }
        }
        return new FrechetDistance(mean, cov);
    }

    /** FD between this fit and {@code other}. */
    double to(FrechetDistance other) {
        int d = mean.length;
        if (other.mean.length != d) {
            throw new IllegalArgumentException("dimension mismatch: " + d + " vs " + other.mean.length);
        }
        double meanTerm = 0;
        double trace = 0;
        for (int j = 0; j < d; j++) {
            double diff = mean[j] - other.mean[j];
            meanTerm += diff * diff;
            trace += cov[j][j] + other.cov[j][j];
        }
        RealMatrix root = sqrtPsd(new Array2DRowRealMatrix(cov, false));
        RealMatrix middle = root.multiply(new Array2DRowRealMatrix(other.cov, false)).multiply(root);
        double crossTrace = 0;
        for (double ev : new EigenDecomposition(symmetrised(middle)).getRealEigenvalues()) {
            crossTrace += Math.sqrt(Math.max(0, ev));
        }
        return Math.max(0, meanTerm + trace - 2 * crossTrace);
    }

    private static RealMatrix sqrtPsd(RealMatrix m) {
        EigenDecomposition e = new EigenDecomposition(symmetrised(m));
        RealMatrix v = e.getV();
        double[] ev = e.getRealEigenvalues();
        RealMatrix scaled = v.copy();
        for (int j = 0; j < ev.length; j++) {
            double s = Math.sqrt(Math.max(0, ev[j]));
            for (int i = 0; i < ev.length; i++) {
                scaled.setEntry(i, j, v.getEntry(i, j) * s);
            }
        }
        return scaled.multiply(v.transpose());
    }

    private static RealMatrix symmetrised(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
