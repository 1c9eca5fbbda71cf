package dev.genserve.generative.drifting;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.ToyDistributions;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftFieldTest {

    private static final DriftField FIELD = new DriftField(List.of(0.02, 0.05, 0.2));

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

    @Test
    void vanishesWhenPositivesAndNegativesAreTheSameSet() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ToyDistributions.standardGaussian(64, 5, 1).toNd(m);
            NDArray y = ToyDistributions.standardGaussian(128, 5, 2).toNd(m);
            DriftField.Drift d = FIELD.compute(x, y, y, false, 0);
            assertThat(maxAbs(d.drift())).isLessThanOrEqualTo(1e-5);
            assertThat(d.rawSquaredNorm()).isLessThanOrEqualTo(1e-10);
            // and with the generated set itself as data: V_{q,q}(x) = 0 for x from q
            DriftField.Drift self = new DriftField(List.of(0.05)).compute(x, x, x, false, 0);
            assertThat(maxAbs(self.drift())).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void isAntiSymmetricInPositivesAndNegatives() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ToyDistributions.standardGaussian(50, 3, 3).toNd(m);
            NDArray p = ToyDistributions.standardGaussian(70, 3, 4).toNd(m).add(0.7f);
            NDArray q = ToyDistributions.standardGaussian(60, 3, 5).toNd(m).mul(1.5f);
            NDArray vpq = FIELD.compute(x, p, q, false, 0).drift();
            NDArray vqp = FIELD.compute(x, q, p, false, 0).drift();
            assertThat(maxAbs(vpq)).isGreaterThan(0.1); // not trivially zero
            assertThat(maxAbs(vpq.add(vqp))).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void pointsTowardTheDataForAShiftedGenerator() {
        try (NDManager m = NDManager.newBaseManager()) {
            FloatMatrix data = ToyDistributions.eightGaussians(512, 1);
            FloatMatrix gen = shifted(ToyDistributions.eightGaussians(512, 2), 1.0f, -0.5f);
            DriftField.Drift d = FIELD.compute(gen.toNd(m), data.toNd(m), null, 0);
            float[] v = d.drift().toFloatArray();
            int toward = 0;
            for (int i = 0; i < gen.rows(); i++) {
                if (-1.0 * v[2 * i] + 0.5 * v[2 * i + 1] > 0) {
                    toward++;
                }
            }
            assertThat(toward).isGreaterThan((int) (0.75 * gen.rows()));

            // a fresh draw from the data distribution itself feels a much weaker raw field
            DriftField.Drift same = FIELD.compute(ToyDistributions.eightGaussians(512, 3).toNd(m), data.toNd(m),
                    null, 0);
            assertThat(same.rawSquaredNorm()).isLessThan(d.rawSquaredNorm() / 5);
        }
    }

    @Test
    void selfMaskingKeepsEachSampleOutOfItsOwnNegatives() {
        try (NDManager m = NDManager.newBaseManager()) {
            // V(x) = s⁺s⁻(ȳ⁺ − ȳ⁻). For x₀ = 0 with x₁ = 3 and a positive at 1: masked, x₀'s only negative is x₁, so
            // V(x₀) points to −x; unmasked, x₀ is its own nearest negative (ȳ⁻ ≈ 0) and V(x₀) points to +x.
            NDArray x = m.create(new float[] {0, 0, 3, 0}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray y = m.create(new float[] {1, 0}, new ai.djl.ndarray.types.Shape(1, 2));
            DriftField field = new DriftField(List.of(0.2));
            float[] masked = field.compute(x, y, null, 0).drift().toFloatArray();
            float[] unmasked = field.compute(x, y, x, false, 0).drift().toFloatArray();
            assertThat(masked[0]).isLessThan(0f);
            assertThat(unmasked[0]).isGreaterThan(0f);
            assertThat(masked[1]).isEqualTo(0f);
        }
    }

    @Test
    void weightedGuidanceNegativesPushSamplesAway() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ToyDistributions.standardGaussian(40, 2, 7).toNd(m);
            NDArray y = ToyDistributions.standardGaussian(50, 2, 8).toNd(m).add(1f);
            NDArray extra = ToyDistributions.standardGaussian(30, 2, 9).toNd(m).sub(3f);
            DriftField field = new DriftField(List.of(0.2));
            NDArray plain = field.compute(x, y, null, 0).drift();
            NDArray weighted = field.compute(x, y, extra, 3.0).drift();
            // strongly weighted extra negatives (to the lower left) push samples further up/right
            assertThat(weighted.sub(plain).sum(new int[] {1}).mean().getFloat()).isGreaterThan(0f);
        }
    }
}
