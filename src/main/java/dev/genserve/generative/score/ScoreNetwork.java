package dev.genserve.generative.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.SinusoidalEmbedding;
import dev.genserve.generative.sde.ScoreFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * The noise-prediction network ε_θ(x, t) = MLP([x, φ(t/T)]) with sinusoidal time features φ, read as a score
 * through the ε-parametrisation s_θ(x,t) = −ε_θ(x,t)/s(t), where s(t) is the SDE's marginal std (or the fitted
 * noise scale of a composed SDE).
 */
public final class ScoreNetwork {

    private final ConditionedMlp mlp;
    private final SinusoidalEmbedding embedding;
    private final double horizon;
    private final DoubleUnaryOperator noiseScale;

    public ScoreNetwork(int dimension, int timeFeatures, int hidden, int depth, double horizon,
            DoubleUnaryOperator noiseScale) {
        this.mlp = new ConditionedMlp(dimension, timeFeatures, hidden, depth, dimension);
        this.embedding = new SinusoidalEmbedding(timeFeatures, 1000.0);
        this.horizon = horizon;
        this.noiseScale = noiseScale;
    }

    public ConditionedMlp block() {
        return mlp;
    }

    public double noiseScale(double t) {
        return noiseScale.applyAsDouble(t);
    }

    /** ε_θ(x, t) for a column (or vector) of per-row times t (in SDE time units). */
    public NDArray epsilon(ParameterStore store, NDArray x, NDArray t, boolean training) {
        return mlp.apply(store, x, embedding.embed(t.div((float) horizon)), training);
    }

    /** The score s_θ(x, t) = −ε_θ(x, t)/s(t) at one time for the whole batch. */
    public ScoreFunction scoreFunction(ParameterStore store) {
        return (x, t) -> {
            NDManager m = x.getManager();
            NDArray times = m.full(new Shape(x.getShape().get(0), 1), (float) t);
            return epsilon(store, x, times, false).mul((float) (-1.0 / noiseScale(t)));
        };
    }
}
