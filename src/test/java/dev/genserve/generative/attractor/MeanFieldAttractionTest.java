package dev.genserve.generative.attractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import org.junit.jupiter.api.Test;

class MeanFieldAttractionTest {

    private static FloatMatrix gaussian(int n, int d, long seed) {
        return new FloatMatrix(new RandomSource(seed).gaussians(n * d), n, d);
    }

    /** Double loop in double precision: F(y_i) = Σ_{j≠i} (x_j − y_i)/(‖x_j − y_i‖² + δ²) / count. */
    private static double[] bruteForce(FloatMatrix query, FloatMatrix cloud, double delta, boolean excludeSelf) {
        int d = query.cols();
        double[] out = new double[query.rows() * d];
        int count = excludeSelf ? cloud.rows() - 1 : cloud.rows();
        for (int i = 0; i < query.rows(); i++) {
            for (int j = 0; j < cloud.rows(); j++) {
                if (excludeSelf && i == j) {
                    continue;
                }
                double r2 = 0;
                for (int c = 0; c < d; c++) {
                    double diff = cloud.get(j, c) - query.get(i, c);
                    r2 += diff * diff;
                }
                for (int c = 0; c < d; c++) {
                    out[i * d + c] += (cloud.get(j, c) - query.get(i, c)) / (r2 + delta * delta) / count;
                }
            }
        }
        return out;
    }

    @Test
    void selfFieldEqualsTheDoubleLoopAndTilingChangesNothing() {
        FloatMatrix x = gaussian(37, 3, 1);
        double[] expected = bruteForce(x, x, 0.3, true);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] untiled = new MeanFieldAttraction(0.3, 1024).selfField(x.toNd(manager)).toFloatArray();
            float[] tiled = new MeanFieldAttraction(0.3, 5).selfField(x.toNd(manager)).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) untiled[i]).isCloseTo(expected[i], within(1e-5 + 1e-4 * Math.abs(expected[i])));
            }
            assertThat(tiled).containsExactly(untiled, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void fieldAtQueryPointsEqualsTheDoubleLoop() {
        FloatMatrix query = gaussian(11, 2, 2);
        FloatMatrix cloud = gaussian(29, 2, 3);
        double[] expected = bruteForce(query, cloud, 0.1, false);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] got = new MeanFieldAttraction(0.1, 4).fieldAt(query.toNd(manager), cloud.toNd(manager))
                    .toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) got[i]).isCloseTo(expected[i], within(1e-5 + 1e-4 * Math.abs(expected[i])));
            }
        }
    }

    @Test
    void twoParticlesAttractEachOtherAndOneParticleFeelsNothing() {
        FloatMatrix two = FloatMatrix.of(new float[][] {{0, 0}, {2, 0}});
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] f = new MeanFieldAttraction(0.5, 8).selfField(two.toNd(manager)).toFloatArray();
            // (2 − 0)/(4 + 0.25) = 0.470588…, opposite for the other particle
            assertThat(f).containsExactly(new float[] {0.47058824f, 0, -0.47058824f, 0},
                    org.assertj.core.data.Offset.offset(1e-6f));
            float[] one = new MeanFieldAttraction(0.5, 8).selfField(FloatMatrix.of(new float[][] {{1, 2}})
                    .toNd(manager)).toFloatArray();
            assertThat(one).containsExactly(0f, 0f);
        }
        assertThatThrownBy(() -> new MeanFieldAttraction(0, 8)).hasMessageContaining("delta");
    }

    @Test
    void divergenceEqualsCentralDifferencesOfTheField() {
        for (int d : new int[] {2, 3}) {
            FloatMatrix query = gaussian(7, d, 4);
            FloatMatrix cloud = gaussian(40, d, 5);
            MeanFieldAttraction field = new MeanFieldAttraction(0.4, 3);
            try (NDManager manager = NDManager.newBaseManager()) {
                MeanFieldAttraction.FieldAndDivergence fd = field.fieldAndDivergenceAt(manager, query.data(),
                        query.rows(), cloud.data(), cloud.rows(), d);
                double[] f = bruteForce(query, cloud, 0.4, false);
                for (int i = 0; i < f.length; i++) {
                    assertThat((double) fd.field()[i]).isCloseTo(f[i], within(1e-5 + 1e-4 * Math.abs(f[i])));
                }
                double h = 1e-3;
                for (int i = 0; i < query.rows(); i++) {
                    double divergence = 0;
                    for (int c = 0; c < d; c++) {
                        float[] plus = query.row(i);
                        float[] minus = query.row(i);
                        plus[c] += (float) h;
                        minus[c] -= (float) h;
                        double fp = bruteForce(new FloatMatrix(plus, 1, d), cloud, 0.4, false)[c];
                        double fm = bruteForce(new FloatMatrix(minus, 1, d), cloud, 0.4, false)[c];
                        divergence += (fp - fm) / ((double) plus[c] - minus[c]);
                    }
                    assertThat((double) fd.divergence()[i]).as("div F, D = %d, row %d", d, i)
                            .isCloseTo(divergence, within(1e-3 + 1e-3 * Math.abs(divergence)));
                }
            }
        }
    }
}
