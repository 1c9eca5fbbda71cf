package dev.genserve.generative.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the optimiser and the EMA, computed by hand in double precision from the formulas in their
 * Javadoc: two AdamW steps (one of them clipped) on a loss whose gradient is a known vector, and two EMA updates over
 * two weights of different shapes (the flat shadow buffer must keep each weight's slice apart).
 */
class AdamWKnownAnswerTest {

    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;
    private static final double WD = 0.1;

    /** Sets the gradients of {@code weights} to {@code grads} through a real backward pass of Σ gᵢ·wᵢ. */
    private static void backward(NDManager manager, List<NDArray> weights, List<float[]> grads) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < weights.size(); i++) {
                NDArray g = scope.create(grads.get(i), weights.get(i).getShape());
                NDArray term = weights.get(i).mul(g).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
    }

    @Test
    void twoStepsMatchTheHandComputedUpdate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] w = {0.5, -1.0, 2.0};
            double[] u = {0.25};
            NDArray a = manager.create(new float[] {0.5f, -1.0f, 2.0f});
            NDArray b = manager.create(new float[] {0.25f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            List<NDArray> weights = List.of(a, b);
            AdamW adam = new AdamW(weights, manager, B1, B2, EPS, WD);
            double[] m = new double[4];
            double[] v = new double[4];

            // step 1: g = (0.3, −0.4, 0, 1.2), ‖g‖ = 1.3, clip at 0.65 halves it
            float[][] g1 = {{0.3f, -0.4f, 0f}, {1.2f}};
            backward(manager, weights, List.of(g1[0], g1[1]));
            double norm = adam.step(1e-2, 0.65);
            assertThat(norm).isCloseTo(1.3, within(1e-6));
            expect(w, u, m, v, g1, 0.65 / (1.3 + 1e-12), 1e-2, 1);
            assertThat(a.toFloatArray()).containsExactly(floats(w), org.assertj.core.data.Offset.offset(2e-7f));
            assertThat(b.toFloatArray()).containsExactly(floats(u), org.assertj.core.data.Offset.offset(2e-7f));

            // step 2: g = (−0.1, 0.2, 0.05, −0.3), ‖g‖ < 1: unclipped
            float[][] g2 = {{-0.1f, 0.2f, 0.05f}, {-0.3f}};
            backward(manager, weights, List.of(g2[0], g2[1]));
            adam.step(5e-3, 1.0);
            expect(w, u, m, v, g2, 1.0, 5e-3, 2);
            assertThat(a.toFloatArray()).containsExactly(floats(w), org.assertj.core.data.Offset.offset(2e-7f));
            assertThat(b.toFloatArray()).containsExactly(floats(u), org.assertj.core.data.Offset.offset(2e-7f));
            assertThat(a.getGradient().toFloatArray()).as("gradients zeroed").containsOnly(0f);
        }
    }

    /** m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v+ε) − ηλw, with g rescaled. */
    private static void expect(double[] w, double[] u, double[] m, double[] v, float[][] g, double rescale, double lr,
            int t) {
        double correction = lr * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t));
        double[][] params = {w, u};
        int k = 0;
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < params[p].length; i++, k++) {
                double gi = g[p][i] * rescale;
                m[k] = B1 * m[k] + (1 - B1) * gi;
                v[k] = B2 * v[k] + (1 - B2) * gi * gi;
                double old = params[p][i];
                params[p][i] = old - correction * m[k] / (Math.sqrt(v[k]) + EPS) - lr * WD * old;
            }
        }
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    @Test
    void emaBlendsEachWeightIntoItsOwnSlice() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f, 2f, 3f, 4f}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = manager.create(new float[] {-1f});
            ExponentialMovingAverage ema = new ExponentialMovingAverage(List.of(a, b), manager, 0.5);
            a.muli(manager.create(0f)).addi(manager.create(new float[] {10f, 20f, 30f, 40f},
                    new ai.djl.ndarray.types.Shape(2, 2)));
            b.muli(manager.create(0f)).addi(manager.create(new float[] {5f}));
            ema.update(1); // d = min(0.5, 2/11) = 2/11
            double d = 2.0 / 11;
            float[] expectedA = {(float) (d * 1 + (1 - d) * 10), (float) (d * 2 + (1 - d) * 20),
                    (float) (d * 3 + (1 - d) * 30), (float) (d * 4 + (1 - d) * 40)};
            assertThat(ema.state().get(0).toFloatArray()).containsExactly(expectedA,
                    org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(ema.state().get(0).getShape()).isEqualTo(a.getShape());
            assertThat(ema.state().get(1).toFloatArray()).containsExactly(new float[] {(float) (-d + (1 - d) * 5)},
                    org.assertj.core.data.Offset.offset(1e-5f));

            ema.restore(List.of(manager.create(new float[] {0f, 0f, 0f, 0f}, a.getShape()),
                    manager.create(new float[] {2f})));
            ema.update(100); // d = 0.5
            assertThat(ema.state().get(0).toFloatArray()).containsExactly(5f, 10f, 15f, 20f);
            assertThat(ema.state().get(1).toFloatArray()).containsExactly(3.5f);
            ema.copyToWeights();
            assertThat(a.toFloatArray()).containsExactly(5f, 10f, 15f, 20f);
            assertThat(b.toFloatArray()).containsExactly(3.5f);
        }
    }
}
