package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.nn.FourierFeatures;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.nn.ResidualMlp;
import dev.genserve.generative.nn.SinusoidalEmbedding;
import dev.genserve.generative.sde.ScoreFunction;
import java.util.function.DoubleUnaryOperator;

/**
 * A score model on the shared network base: ε_θ(x, u) = ResidualMlp([x, γ(x)]; φ(u)) with random Fourier features γ
 * of x and sinusoidal features φ of a clock u(t) ∈ [0, 1] entering every residual block (FiLM), read as a score
 * through the ε-parametrisation s_θ(x, t) = −ε_θ(x, u(t))/σ(t). For the attractor ({@link #forAttractor}) u =
 * (t/T)^{1/p} and σ(t) = {@link ProcessParameters#noiseScale}, the std of x_t | x_0 without attraction, so that
 * ε_θ = O(1) at every t; the benchmark builds the same network for VP diffusion (u = t/T, σ = the VP std).
 */
public final class ResidualScoreNetwork {

    /** Multiplies u before the sinusoidal features (≈ 0.6 rad per 1 % of the clock at the highest frequency). */
    static final double TIME_SCALE = 64;

    private final ResidualMlp mlp;
    private final SinusoidalEmbedding embedding;
    private final DoubleUnaryOperator clock;
    private final DoubleUnaryOperator noiseScale;

    /**
     * @param fourierFeatures number m of Fourier frequencies (0 = none)
     * @param seed seed of the Fourier frequencies
     * @param clock u(t) ∈ [0, 1]
     * @param noiseScale σ(t) &gt; 0 for t &gt; 0
     */
    public ResidualScoreNetwork(int dimension, int timeFeatures, int hidden, int depth, int fourierFeatures,
            double fourierScale, long seed, DoubleUnaryOperator clock, DoubleUnaryOperator noiseScale) {
        FourierFeatures fourier = fourierFeatures == 0 ? null
                : new FourierFeatures(dimension, fourierFeatures, fourierScale, seed);
        this.mlp = new ResidualMlp(dimension, timeFeatures, hidden, depth, dimension, fourier);
        this.embedding = new SinusoidalEmbedding(timeFeatures, TIME_SCALE);
        this.clock = clock;
        this.noiseScale = noiseScale;
    }

    /** The attractor's network for a resolved config, with seeded initial weights. */
    static ResidualScoreNetwork forAttractor(AttractorConfig c, NDManager manager) {
        ProcessParameters p = c.process();
        TimeGrid grid = p.grid();
        ResidualScoreNetwork network = new ResidualScoreNetwork(c.dimension(), c.timeFeatures(), c.hidden(),
                c.depth(), c.fourierFeatures(), c.fourierScale(), c.seed(), grid::clock, p::noiseScale);
        network.initialize(manager, c.seed());
        return network;
    }

    /** Seeded initial weights, with the residual branches and the output zero-initialised. */
    public void initialize(NDManager manager, long seed) {
        Networks.initialize(mlp, manager, seed, ResidualMlp.zeroInitNames(), mlp.inputShapes());
    }

    public ResidualMlp block() {
        return mlp;
    }

    /** The clock u(t) the network sees. */
    public double clock(double t) {
        return clock.applyAsDouble(t);
    }

    /** σ(t) of the ε-parametrisation. */
    public double noiseScale(double t) {
        return noiseScale.applyAsDouble(t);
    }

    /** ε_θ for rows x (N × D) at clocks u (N × 1). */
    public NDArray epsilon(ParameterStore store, NDArray x, NDArray clocks, boolean training) {
        return mlp.apply(store, x, embedding.embed(clocks), training);
    }

    /** ε_θ for rows x at one time t. */
    public NDArray epsilonAt(ParameterStore store, NDArray x, double t, boolean training) {
        NDArray clocks = x.getManager().full(new Shape(x.getShape().get(0), 1), (float) clock(t));
        return epsilon(store, x, clocks, training);
    }

    /** The score s_θ(x, t) = −ε_θ(x, u(t))/σ(t) at one time for the whole batch. */
    public ScoreFunction scoreFunction(ParameterStore store) {
        return (x, t) -> epsilonAt(store, x, t, false).mul((float) (-1.0 / noiseScale(t)));
    }
}
