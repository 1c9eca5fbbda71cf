package dev.genserve.generative.drifting;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.nn.Networks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

    /**
     * The codebook offsets start at training rows: with K < rows, the K offsets s·E_k are K distinct rows exactly
     * (the same ones for the same seed, others for another seed); with K > rows every row is used and then reused.
     */
    @Test
    void codebookOffsetsStartAtDistinctTrainingRows() {
        FloatMatrix rows = ToyDistributions.standardGaussian(40, 2, 3);
        assertThat(offsetRows(rows, 16, 5)).hasSize(16).doesNotHaveDuplicates()
                .allSatisfy(r -> assertThat(indexOf(rows, r)).isNotNegative())
                .containsExactlyElementsOf(offsetRows(rows, 16, 5));
        assertThat(offsetRows(rows, 16, 6)).isNotEqualTo(offsetRows(rows, 16, 5));
        FloatMatrix few = rows.slice(0, 5);
        List<List<Float>> cycled = offsetRows(few, 12, 5);
        assertThat(new HashSet<>(cycled)).hasSize(5);
        assertThat(cycled.subList(5, 10)).containsExactlyElementsOf(cycled.subList(0, 5));
    }

    /** The K initial offsets s·E_k as rows (column k of the D × K codebook weight), rounded to the float grid. */
    private static List<List<Float>> offsetRows(FloatMatrix rows, int codes, long seed) {
        MlpDriftingGenerator g = new MlpDriftingGenerator(4, 0, 8, 2, 2, 0, 1.0, seed, 0, codes);
        try (NDManager m = NDManager.newBaseManager()) {
            Networks.initialize(g.block(), m, seed, g.inputShapes());
            g.initializeSpecial(seed, rows);
            NDArray weight = null;
            for (var p : g.block().getParameters()) {
                if (p.getKey().contains("codebook")) {
                    weight = p.getValue().getArray();
                }
            }
            float[] w = weight.mul(CodebookMlp.SCALE).toFloatArray();
            List<List<Float>> out = new ArrayList<>();
            for (int k = 0; k < codes; k++) {
                out.add(List.of(w[k], w[codes + k]));
            }
            return out;
        }
    }

    /** The index of the row within 1e-5 of {@code r}, or −1. */
    private static int indexOf(FloatMatrix rows, List<Float> r) {
        for (int i = 0; i < rows.rows(); i++) {
            if (Math.abs(rows.get(i, 0) - r.get(0)) < 1e-5 && Math.abs(rows.get(i, 1) - r.get(1)) < 1e-5) {
                return i;
            }
        }
        return -1;
    }
}
