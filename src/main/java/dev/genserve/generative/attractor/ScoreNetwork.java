package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.SinusoidalEmbedding;

/**
 * The attractor's score model: ε_θ(x, φ(u)) = ConditionedMlp([x, φ(u)]) with sinusoidal features φ of the clock
 * u = (t/T)^{1/p} ∈ [0, 1]; the score is s_θ(x, t) = −ε_θ(x, t)/σ(t), σ(t) = √(2λ Δ(t)).
 */
final class ScoreNetwork {

    /** Multiplies u before the sinusoidal features: ≈ 0.6 rad per grid step at the highest frequency (K = 100). */
    static final double TIME_SCALE = 64;

    private final ConditionedMlp mlp;
    private final SinusoidalEmbedding embedding;

    ScoreNetwork(int dimension, int timeFeatures, int hidden, int depth) {
        this.mlp = new ConditionedMlp(dimension, timeFeatures, hidden, depth, dimension);
        this.embedding = new SinusoidalEmbedding(timeFeatures, TIME_SCALE);
    }

    ConditionedMlp block() {
        return mlp;
    }

    /** ε_θ for rows x (N × D) at clocks u (N × 1). */
    NDArray epsilon(ParameterStore store, NDArray x, NDArray clock, boolean training) {
        return mlp.apply(store, x, embedding.embed(clock), training);
    }
}
