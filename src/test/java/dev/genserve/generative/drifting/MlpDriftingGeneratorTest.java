package dev.genserve.generative.drifting;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.data.ToyDistributions;
import org.junit.jupiter.api.Test;

class MlpDriftingGeneratorTest {

    /** ⌊K·Φ(z)⌋ one-hot: known answers at 0 and far in the tails, and uniform counts for standard normal input. */
    @Test
    void noiseCodeIsAUniformOneHotCategoryOfTheLastCoordinate() {
        int k = 5;
        MlpDriftingGenerator g = new MlpDriftingGenerator(4, 0, 8, 2, 2, 0, 1.0, 0L, k, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] fixed = g.categorical(m.create(new float[] {0f, -10f, 10f, -0.2f})).toType(
                    ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            // Φ(0) = 0.5 → code 2; the tails clip to 0 and K − 1; Φ(−0.2) = 0.4207 → ⌊2.10⌋ = 2
            assertThat(fixed).containsExactly(
                    0, 0, 1, 0, 0,
                    1, 0, 0, 0, 0,
                    0, 0, 0, 0, 1,
                    0, 0, 1, 0, 0);
            int n = 20_000;
            NDArray z = ToyDistributions.standardGaussian(n, 1, 7).toNd(m).reshape(new Shape(n));
            NDArray codes = g.categorical(z).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            assertThat(codes.getShape()).isEqualTo(new Shape(n, k));
            float[] rowSums = codes.sum(new int[] {1}).toFloatArray();
            for (float v : rowSums) {
                assertThat(v).isEqualTo(1f);
            }
            float[] counts = codes.sum(new int[] {0}).toFloatArray();
            // binomial sd = sqrt(n·(1/K)·(1 − 1/K)) ≈ 57; 4 sd
            for (float c : counts) {
                assertThat((double) c).isCloseTo(n / (double) k, org.assertj.core.data.Offset.offset(230.0));
            }
        }
    }
}
