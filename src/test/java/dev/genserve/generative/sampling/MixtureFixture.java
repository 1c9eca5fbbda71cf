package dev.genserve.generative.sampling;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.density.GaussianMixture;

/** The 2-D 3-mode mixture (zero mean) that samplers must recover, and statistics to compare against it. */
final class MixtureFixture {

    static final GaussianMixture MIXTURE = GaussianMixture.isotropic(new double[] {0.5, 0.3, 0.2},
            new double[][] {{-1.2, -1.0}, {2.0, 0.0}, {0.0, 2.5}}, new double[] {0.35, 0.35, 0.35});

    private MixtureFixture() {}

    static double[] mean(FloatMatrix x) {
        double[] m = new double[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                m[j] += x.get(i, j) / x.rows();
            }
        }
        return m;
    }

    static double[][] covariance(FloatMatrix x) {
        double[] m = mean(x);
        int d = x.cols();
        double[][] c = new double[d][d];
        for (int i = 0; i < x.rows(); i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    c[a][b] += (x.get(i, a) - m[a]) * (x.get(i, b) - m[b]) / (x.rows() - 1);
                }
            }
        }
        return c;
    }

    static double[] modeWeights(GaussianMixture mixture, FloatMatrix x) {
        double[] w = new double[mixture.size()];
        for (int k : mixture.assign(x)) {
            w[k] += 1.0 / x.rows();
        }
        return w;
    }

    /** Max |a − b| over entries. */
    static double maxAbs(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double maxAbs(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, maxAbs(a[i], b[i]));
        }
        return m;
    }
}
