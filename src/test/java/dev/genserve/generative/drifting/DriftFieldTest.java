package dev.genserve.generative.drifting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.ToyDistributions;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftFieldTest {

    private static final List<Double> TAUS = List.of(0.02, 0.05, 0.2);
    private static final DriftField FIELD = new DriftField(TAUS);

    private static FloatMatrix shifted(FloatMatrix m, float dx, float dy) {
        float[] out = m.data().clone();
        for (int i = 0; i < m.rows(); i++) {
            out[2 * i] += dx;
            out[2 * i + 1] += dy;
        }
        return new FloatMatrix(out, m.rows(), 2);
    }

    private static double maxAbs(NDArray a) {
        return a.abs().max().getFloat();
    }

    private static NDArray nd(NDManager m, float[] values, long... shape) {
        return FloatMatrix.nativeCopy(m, values, new Shape(shape));
    }

    /**
     * The published field written out with loops in double precision (one group): targets [positives, x (self
     * masked), extra], S = target-weighted mean distance without self pairs, A = ω·sqrt(max(row·col, clamp)).
     */
    static double[][] naiveDrift(double[][] x, double[][] pos, double[][] extra, double extraWeight,
            double selfWeight, double[] taus, double clamp) {
        int n = x.length;
        int p = pos.length;
        int u = extra == null ? 0 : extra.length;
        int dim = x[0].length;
        double[][] targets = new double[p + n + u][];
        double[] weight = new double[p + n + u];
        for (int j = 0; j < p + n + u; j++) {
            targets[j] = j < p ? pos[j] : j < p + n ? x[j - p] : extra[j - p - n];
            weight[j] = j < p ? 1 : j < p + n ? selfWeight : extraWeight;
        }
        double[][] d = new double[n][p + n + u];
        double sum = 0;
        double count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < targets.length; j++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += (x[i][k] - targets[j][k]) * (x[i][k] - targets[j][k]);
                }
                d[i][j] = Math.sqrt(s);
                if (j != p + i) {
                    sum += weight[j] * d[i][j];
                    count += weight[j];
                }
            }
        }
        double meanDistance = sum / count;
        double inputScale = meanDistance / Math.sqrt(dim);
        double[][] total = new double[n][dim];
        for (double tau : taus) {
            double[][] logits = new double[n][targets.length];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < targets.length; j++) {
                    logits[i][j] = j == p + i ? Double.NEGATIVE_INFINITY : -d[i][j] / (meanDistance * tau);
                }
            }
            double[][] a = new double[n][targets.length];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < targets.length; j++) {
                    double rowZ = 0;
                    for (int jj = 0; jj < targets.length; jj++) {
                        rowZ += Math.exp(logits[i][jj]);
                    }
                    double colZ = 0;
                    for (int ii = 0; ii < n; ii++) {
                        colZ += Math.exp(logits[ii][j]);
                    }
                    double product = Math.exp(logits[i][j]) / rowZ * Math.exp(logits[i][j]) / colZ;
                    a[i][j] = weight[j] * Math.sqrt(Math.max(product, clamp));
                }
            }
            double[][] v = new double[n][dim];
            double meanSq = 0;
            for (int i = 0; i < n; i++) {
                double sPos = 0;
                double sNeg = 0;
                double[] yPos = new double[dim];
                double[] yNeg = new double[dim];
                for (int j = 0; j < targets.length; j++) {
                    for (int k = 0; k < dim; k++) {
                        if (j < p) {
                            yPos[k] += a[i][j] * targets[j][k] / inputScale;
                        } else {
                            yNeg[k] += a[i][j] * targets[j][k] / inputScale;
                        }
                    }
                    if (j < p) {
                        sPos += a[i][j];
                    } else {
                        sNeg += a[i][j];
                    }
                }
                for (int k = 0; k < dim; k++) {
                    v[i][k] = sNeg * yPos[k] - sPos * yNeg[k];
                    meanSq += v[i][k] * v[i][k];
                }
            }
            double lambda = Math.sqrt(Math.max(meanSq / (n * dim), 1e-8));
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < dim; k++) {
                    total[i][k] += v[i][k] / lambda;
                }
            }
        }
        return total;
    }

    private static double[][] rows(FloatMatrix m) {
        double[][] out = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int k = 0; k < m.cols(); k++) {
                out[i][k] = m.get(i, k);
            }
        }
        return out;
    }

    private static void assertClose(NDArray actual, double[][] expected, double tolerance) {
        float[] v = actual.toFloatArray();
        int dim = expected[0].length;
        for (int i = 0; i < expected.length; i++) {
            for (int k = 0; k < dim; k++) {
                assertThat((double) v[i * dim + k]).as("V[%d][%d]", i, k).isCloseTo(expected[i][k],
                        within(tolerance));
            }
        }
    }

    @Test
    void matchesTheLoopImplementationOfThePublishedField() {
        FloatMatrix x = shifted(ToyDistributions.standardGaussian(24, 2, 1), 0.5f, 0f);
        FloatMatrix pos = ToyDistributions.eightGaussians(30, 2);
        FloatMatrix extra = ToyDistributions.standardGaussian(9, 2, 3);
        double[] taus = {0.02, 0.05, 0.2};
        try (NDManager m = NDManager.newBaseManager()) {
            // fast path (no clamp), with and without weighted extra negatives
            double[][] plain = naiveDrift(rows(x), rows(pos), null, 0, 1, taus, 0);
            assertClose(FIELD.compute(x.toNd(m), pos.toNd(m)).drift(), plain, 2e-4);
            double[][] guided = naiveDrift(rows(x), rows(pos), rows(extra), 1.7, 1, taus, 0);
            assertClose(FIELD.compute(x.toNd(m), pos.toNd(m), extra.toNd(m), new float[] {1.7f}).drift(), guided,
                    2e-4);
            // dense path, with the published clamp of row ⊙ column at 1e-6
            double[][] clamped = naiveDrift(rows(x), rows(pos), rows(extra), 1.7, 1, taus, 1e-6);
            assertClose(new DriftField(List.of(0.02, 0.05, 0.2), 1e-6).compute(x.toNd(m), pos.toNd(m),
                    extra.toNd(m), new float[] {1.7f}).drift(), clamped, 2e-4);
            // the clamp matters here: it is not a no-op
            assertThat(Math.abs(clamped[0][0] - guided[0][0]) + Math.abs(clamped[3][1] - guided[3][1]))
                    .isGreaterThan(1e-3);
        }
    }

    @Test
    void fastPathEqualsDensePathPerGroupAndTemperature() {
        try (NDManager m = NDManager.newBaseManager()) {
            // three groups of different data, extra negatives weighted 0, 0.5 and 3
            NDArray x = ToyDistributions.standardGaussian(3 * 40, 3, 11).toNd(m).reshape(3, 40, 3);
            NDArray pos = ToyDistributions.standardGaussian(3 * 50, 3, 12).toNd(m).reshape(3, 50, 3).add(0.8f);
            NDArray extra = ToyDistributions.standardGaussian(3 * 20, 3, 13).toNd(m).reshape(3, 20, 3).mul(2f);
            float[] w = {0f, 0.5f, 3f};
            DriftField field = new DriftField(List.of(0.05));
            for (double tau : new double[] {0.02, 0.05, 0.2, 1.0}) {
                NDArray fast = field.fastDrift(x, pos, extra, w, tau);
                NDArray dense = field.denseDrift(x, pos, extra, w, tau);
                double scale = maxAbs(dense);
                assertThat(scale).as("tau " + tau).isGreaterThan(1e-3);
                assertThat(maxAbs(fast.sub(dense)) / scale).as("tau " + tau).isLessThan(1e-4);
            }
        }
    }

    @Test
    void anOutlierFarFromEverythingFallsBackToTheDensePathAndStaysFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] gen = ToyDistributions.standardGaussian(64, 2, 21).data().clone();
            gen[0] = 40f; // 40 standard deviations out: its row factor would underflow on the fast path
            NDArray x = nd(m, gen, 64, 2);
            NDArray pos = ToyDistributions.standardGaussian(64, 2, 22).toNd(m);
            DriftField.Drift d = FIELD.compute(x, pos);
            float[] v = d.drift().toFloatArray();
            for (float value : v) {
                assertThat(Float.isFinite(value)).isTrue();
            }
            double[][] expected = naiveDrift(rows(FloatMatrix.fromNd(x)), rows(FloatMatrix.fromNd(pos)), null, 0, 1,
                    new double[] {0.02, 0.05, 0.2}, 0);
            assertClose(d.drift(), expected, 2e-4);
        }
    }

    @Test
    void guidanceNegativesTakeExactlyTheirWeightAsShareOfTheRepulsion() {
        // One group: x = {(0,0), (1,0)}, a positive at (0,1), one extra negative at (−1,0) with weight w, τ = 0.5.
        // For x₀ every target is at distance 1, so the row softmax is the same for the generated negative x₁ and
        // the extra one; x₁'s column holds only x₀ (x₁ is masked): softmax 1; the extra column holds x₀ at 1 and
        // x₁ at 2: softmax 1/(1 + e^{−1/(Sτ)}). S is the w-weighted mean distance of the non-self pairs,
        // (1 + 1 + √2 + 1 + 3w)/(4 + 2w). The published code multiplies A by w after the square root, so
        // A(x₀, extra)/A(x₀, x₁) = w·sqrt(1/(1 + e^{−1/(Sτ)})). Adding log w to the logits (the old behaviour) gives
        // √w instead of w: the column softmax cancels a per-column constant and the square root halves the rest.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = nd(m, new float[] {0, 0, 1, 0}, 2, 2);
            NDArray pos = nd(m, new float[] {0, 1}, 1, 2);
            NDArray extra = nd(m, new float[] {-1, 0}, 1, 2);
            DriftField field = new DriftField(List.of(0.5));
            for (double w : new double[] {1, 4, 0.25}) {
                float[] a = field.affinityMatrix(x, pos, extra, new float[] {(float) w}, 0.5).toFloatArray();
                // columns: [pos, x₀, x₁, extra]; row 0 is x₀
                assertThat(a[1]).isLessThan(1e-30f); // x₀ against itself is masked
                double meanDistance = (3 + Math.sqrt(2) + 3 * w) / (4 + 2 * w);
                double expected = w * Math.sqrt(1 / (1 + Math.exp(-1 / (meanDistance * 0.5))));
                assertThat((double) a[3] / a[2]).as("w = " + w).isCloseTo(expected, within(1e-5));
                assertThat(Math.abs((double) a[3] / a[2] - expected / w * Math.sqrt(w))).as("not √w")
                        .isGreaterThan(w == 1 ? -1 : 0.05);
            }
        }
    }

    @Test
    void vanishesWhenPositivesAndNegativesAreTheSameSetAndIsAntiSymmetric() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ToyDistributions.standardGaussian(64, 5, 1).toNd(m);
            NDArray y = ToyDistributions.standardGaussian(128, 5, 2).toNd(m);
            // selfWeight 0: the negatives are the extra set only, so this is V_{p,q} with p = q = y
            DriftField.Drift same = FIELD.compute(x, y, y, new float[] {1f}, 0f);
            assertThat(maxAbs(same.drift())).isLessThanOrEqualTo(1e-4);
            assertThat(same.rawSquaredNorm()).isLessThanOrEqualTo(1e-10);

            NDArray p = ToyDistributions.standardGaussian(70, 5, 4).toNd(m).add(0.7f);
            NDArray q = ToyDistributions.standardGaussian(60, 5, 5).toNd(m).mul(1.5f);
            NDArray vpq = FIELD.compute(x, p, q, new float[] {1f}, 0f).drift();
            NDArray vqp = FIELD.compute(x, q, p, new float[] {1f}, 0f).drift();
            assertThat(maxAbs(vpq)).isGreaterThan(0.1);
            assertThat(maxAbs(vpq.add(vqp))).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void pointsTowardTheDataForAShiftedGenerator() {
        try (NDManager m = NDManager.newBaseManager()) {
            FloatMatrix data = ToyDistributions.eightGaussians(512, 1);
            FloatMatrix gen = shifted(ToyDistributions.eightGaussians(512, 2), 1.0f, -0.5f);
            DriftField.Drift d = FIELD.compute(gen.toNd(m), data.toNd(m));
            float[] v = d.drift().toFloatArray();
            int toward = 0;
            for (int i = 0; i < gen.rows(); i++) {
                if (-1.0 * v[2 * i] + 0.5 * v[2 * i + 1] > 0) {
                    toward++;
                }
            }
            assertThat(toward).isGreaterThan((int) (0.75 * gen.rows()));
            // each temperature is normalised to unit RMS per dimension, so the sum has E‖V‖²/D ≤ 3² = 9
            double meanSq = d.drift().square().mean().getFloat();
            assertThat(meanSq).isBetween(1.0, 9.0);

            // a fresh draw from the data distribution itself feels a much weaker raw field
            DriftField.Drift same = FIELD.compute(ToyDistributions.eightGaussians(512, 3).toNd(m), data.toNd(m));
            assertThat(same.rawSquaredNorm()).isLessThan(d.rawSquaredNorm() / 5);
        }
    }

    @Test
    void selfMaskingKeepsEachSampleOutOfItsOwnNegatives() {
        try (NDManager m = NDManager.newBaseManager()) {
            // V(x) = s⁺s⁻(ȳ⁺ − ȳ⁻). For x₀ = 0 with x₁ = 3 and a positive at 1: masked, x₀'s only negative is x₁, so
            // V(x₀) points to −x; unmasked (x as extra negatives too), x₀ is its own nearest negative and V points to +x.
            NDArray x = nd(m, new float[] {0, 0, 3, 0}, 2, 2);
            NDArray y = nd(m, new float[] {1, 0}, 1, 2);
            DriftField field = new DriftField(List.of(0.2));
            float[] masked = field.compute(x, y).drift().toFloatArray();
            float[] unmasked = field.compute(x, y, x, new float[] {1f}, 0f).drift().toFloatArray();
            assertThat(masked[0]).isLessThan(0f);
            assertThat(unmasked[0]).isGreaterThan(0f);
            assertThat(masked[1]).isEqualTo(0f);
        }
    }
}
