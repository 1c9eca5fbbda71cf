package dev.genserve.generative.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.score.DiffusionConfig;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.score.DiffusionGenerator;
import dev.genserve.generative.train.TrainingContext;
import org.junit.jupiter.api.Test;

class ConvScoreNetTest {

    /** Odd sizes (7 × 9) go through the stride-2 stages and back, cropped to the skips; zero output at init. */
    @Test
    void keepsTheImageShapeStartsAtZeroAndRoundTrips() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvScoreNet a = new ConvScoreNet(new int[] {2, 7, 9}, 6, 8);
            Networks.initialize(a, m, 3, ConvScoreNet.zeroInitNames(), a.inputShapes());
            NDArray x = new RandomSource(1).normal(m, new Shape(5, 2 * 7 * 9));
            NDArray c = new RandomSource(2).normal(m, new Shape(5, 6));
            ParameterStore store = new ParameterStore(m, false);
            NDArray y = a.apply(store, x, c, false);
            assertThat(y.getShape()).isEqualTo(new Shape(5, 126));
            assertThat(y.abs().max().getFloat()).isZero();
            for (NDArray w : Networks.parameterArrays(a)) {
                w.addi(0.01f);
            }
            ConvScoreNet b = new ConvScoreNet(new int[] {2, 7, 9}, 6, 8);
            Networks.initialize(b, m, 3, ConvScoreNet.zeroInitNames(), b.inputShapes());
            Networks.fromBytes(b, m, Networks.toBytes(a));
            assertThat(b.apply(store, x, c, false).toFloatArray()).containsExactly(a.apply(store, x, c, false)
                    .toFloatArray());
        }
    }

    /**
     * Labelled images default to the conditional conv network; a few training steps give finite samples of the
     * requested class, with and without guidance, and the same seed gives the same bytes.
     */
    @Test
    void labelledImagesTrainAConditionalConvModel() {
        int n = 200;
        float[] pixels = new float[n * 64];
        int[] labels = new int[n];
        RandomSource random = new RandomSource(5);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int p = 0; p < 64; p++) {
                pixels[i * 64 + p] = (float) ((labels[i] == 0 ? -1 : 1) * (p % 8 < 4 ? 1 : 0.2)
                        + 0.1 * random.nextGaussian());
            }
        }
        TrainingData data = new TrainingData(new FloatMatrix(pixels, n, 64), labels, 2, new int[] {1, 8, 8});
        DiffusionFamily family = new DiffusionFamily();
        DiffusionConfig config = family.resolve(DiffusionConfig.defaults().withNetwork(4, 1)
                .withTraining(10, 16, 1e-3, 1L).withSampling("pf-ode-heun", 5), data);
        assertThat(config.architecture()).isEqualTo("conv");
        assertThat(config.conditional()).isTrue();
        assertThat(config.imageShape()).containsExactly(1, 8, 8);
        try (DiffusionGenerator g = family.train(data, config, TrainingContext.simple())) {
            SampleSpec spec = SampleSpec.of(6, 2L).withClass(1, 3.0);
            FloatMatrix a = g.sample(spec).samples();
            assertThat(a.rows()).isEqualTo(6);
            assertThat(a.cols()).isEqualTo(64);
            for (float v : a.data()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
            assertThat(g.sample(spec).samples()).isEqualTo(a);
            assertThat(g.sample(spec.withClass(1, 1.0)).samples()).isNotEqualTo(a);
            assertThat(g.sample(SampleSpec.of(6, 2L)).functionEvaluations()).isEqualTo(9);
        }
    }
}
