package dev.genserve.generative.drifting;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import org.junit.jupiter.api.Test;

class FeatureMapTest {

    @Test
    void patchesAreLocationMajorBlocksOfPixels() {
        // one 1×8×8 image with pixel value 10·row + col; patches of ⌈8/4⌉ = 2 → 16 locations of 4 pixels
        float[] img = new float[64];
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                img[8 * r + c] = 10 * r + c;
            }
        }
        PatchFeatureMap map = new PatchFeatureMap(new int[] {1, 8, 8});
        assertThat(map.locations()).isEqualTo(16);
        assertThat(map.name()).isEqualTo("patches-2");
        try (NDManager m = NDManager.newBaseManager()) {
            float[] f = map.apply(FloatMatrix.nativeCopy(m, img, new Shape(1, 64))).toFloatArray();
            assertThat(f).hasSize(64);
            // location 0: rows 0–1, cols 0–1; location 1: rows 0–1, cols 2–3; location 4: rows 2–3, cols 0–1
            assertThat(java.util.Arrays.copyOfRange(f, 0, 4)).containsExactly(0, 1, 10, 11);
            assertThat(java.util.Arrays.copyOfRange(f, 4, 8)).containsExactly(2, 3, 12, 13);
            assertThat(java.util.Arrays.copyOfRange(f, 16, 20)).containsExactly(20, 21, 30, 31);
            // and the trainer's layout: (groups · locations) × rows × F
            NDArray two = FloatMatrix.nativeCopy(m, concat(img, img), new Shape(2, 64));
            NDArray grouped = DriftingTrainer.byLocation(map.apply(two), 1, 2, 16);
            assertThat(grouped.getShape()).isEqualTo(new Shape(16, 2, 4));
            assertThat(grouped.get("1, 1, :").toFloatArray()).containsExactly(2, 3, 12, 13);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
