package dev.genserve.generative.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.Networks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {

    private static final OptimizerSettings SETTINGS =
            new OptimizerSettings(240, 2e-2, 20, true, 0.0, 1.0, 0.99, 7L);

    /** Regression of y = sin(3x) on x ∈ [−1, 1]: the loss must fall well below its starting value. */
    private static TrainingLoop.LossFunction sineLoss(ConditionedMlp mlp) {
        return (scope, store, step, random) -> {
            NDArray x = random.uniform(scope, new Shape(128, 1), -1, 1);
            NDArray y = x.mul(3).sin();
            NDArray pred = mlp.apply(store, x, null, true);
            return pred.sub(y).square().mean();
        };
    }

    private static byte[] train(Path checkpoints, int cancelAt) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConditionedMlp mlp = new ConditionedMlp(1, 0, 32, 2, 1);
            Networks.initialize(mlp, manager, 3L, mlp.inputShapes());
            TrainingContext context = new ScriptedContext(checkpoints, 40, cancelAt);
            TrainingLoop.run(mlp, manager, SETTINGS, sineLoss(mlp), context);
            return Networks.toBytes(mlp);
        }
    }

    @Test
    void learnsASimpleRegression() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConditionedMlp mlp = new ConditionedMlp(1, 0, 32, 2, 1);
            Networks.initialize(mlp, manager, 3L, mlp.inputShapes());
            double[] first = {Double.NaN};
            TrainingContext context = new TrainingContext() {
                @Override
                public void report(TrainingProgress p) {
                    if (p.step() == 1) {
                        first[0] = p.loss();
                    }
                }
            };
            TrainingLoop.Result result = TrainingLoop.run(mlp, manager, SETTINGS, sineLoss(mlp), context);
            assertThat(result.steps()).isEqualTo(240);
            assertThat(result.emaLoss()).isLessThan(first[0] * 0.1);
        }
    }

    @Test
    void resumingFromACheckpointGivesBitwiseTheSameWeights(@TempDir Path dir) {
        byte[] uninterrupted = train(null, -1);
        assertThat(train(null, -1)).as("two uninterrupted runs").isEqualTo(uninterrupted);
        assertThatThrownBy(() -> train(dir, 100)).isInstanceOf(TrainingCancelledException.class);
        byte[] resumed = train(dir, -1);
        assertThat(resumed).isEqualTo(uninterrupted);
        byte[] again = train(null, -1);
        assertThat(again).isEqualTo(uninterrupted);
    }

    /** sqrt at 0 has an infinite derivative: the loss is finite but the gradient is not. */
    @Test
    void stepsWithNonFiniteGradientsAreSkippedNotApplied() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConditionedMlp mlp = new ConditionedMlp(1, 0, 8, 1, 1);
            Networks.initialize(mlp, manager, 3L, mlp.inputShapes());
            TrainingLoop.LossFunction everyThird = (scope, store, step, random) -> {
                NDArray out = mlp.apply(store, scope.ones(new Shape(4, 1)), null, true);
                NDArray loss = out.square().mean();
                return step % 3 == 1 ? loss.add(out.sub(out.stopGradient()).sqrt().sum()) : loss;
            };
            TrainingLoop.Result result = TrainingLoop.run(mlp, manager,
                    new OptimizerSettings(30, 1e-2, 0, false, 0, 1.0, 0.0, 1L), everyThird, TrainingContext.simple());
            assertThat(result.skippedSteps()).isEqualTo(10);
            for (NDArray w : Networks.parameterArrays(mlp)) {
                for (float v : w.toFloatArray()) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
            TrainingLoop.LossFunction always = (scope, store, step, random) -> {
                NDArray out = mlp.apply(store, scope.ones(new Shape(4, 1)), null, true);
                return out.square().mean().add(out.sub(out.stopGradient()).sqrt().sum());
            };
            assertThatThrownBy(() -> TrainingLoop.run(mlp, manager, SETTINGS, always, TrainingContext.simple()))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("step " + TrainingLoop.MAX_SKIPPED_STEPS);
        }
    }

    @Test
    void divergingLossFailsTheRun() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConditionedMlp mlp = new ConditionedMlp(1, 0, 8, 1, 1);
            Networks.initialize(mlp, manager, 3L, mlp.inputShapes());
            TrainingLoop.LossFunction nan = (scope, store, step, random) ->
                    mlp.apply(store, scope.ones(new Shape(4, 1)), null, true).mean().mul(Float.NaN);
            assertThatThrownBy(() -> TrainingLoop.run(mlp, manager, SETTINGS, nan, TrainingContext.simple()))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("step 1");
        }
    }
}
