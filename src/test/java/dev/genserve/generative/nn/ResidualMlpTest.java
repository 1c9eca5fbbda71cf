package dev.genserve.generative.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.RandomSource;
import org.junit.jupiter.api.Test;

class ResidualMlpTest {

    @Test
    void startsAsZeroOutputIsSeededAndRoundTripsItsParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            FourierFeatures ff = new FourierFeatures(2, 16, 3.0, 7);
            ResidualMlp a = new ResidualMlp(2, 8, 32, 2, 2, ff);
            Networks.initialize(a, m, 5, ResidualMlp.zeroInitNames(), a.inputShapes());
            NDArray x = new RandomSource(1).normal(m, new Shape(10, 2));
            NDArray c = new RandomSource(2).normal(m, new Shape(10, 8));
            ParameterStore store = new ParameterStore(m, false);
            NDArray y = a.apply(store, x, c, false);
            assertThat(y.getShape()).isEqualTo(new Shape(10, 2));
            for (float v : y.toFloatArray()) {
                assertThat(v).isEqualTo(0f);
            }
            // perturb, save, load into a fresh block with the same seed: identical outputs
            for (NDArray w : Networks.parameterArrays(a)) {
                w.addi(0.01f);
            }
            byte[] bytes = Networks.toBytes(a);
            ResidualMlp b = new ResidualMlp(2, 8, 32, 2, 2, new FourierFeatures(2, 16, 3.0, 7));
            Networks.initialize(b, m, 5, ResidualMlp.zeroInitNames(), b.inputShapes());
            Networks.fromBytes(b, m, bytes);
            assertThat(b.apply(store, x, c, false).toFloatArray()).containsExactly(a.apply(store, x, c, false)
                    .toFloatArray());
            assertThat(ff.apply(x).getShape()).isEqualTo(new Shape(10, 32));
            // sin² + cos² = 1 for each frequency
            float[] f = ff.apply(x).toFloatArray();
            assertThat(f[0] * f[0] + f[16] * f[16]).isCloseTo(1f, within(1e-5f));
        }
    }
}
