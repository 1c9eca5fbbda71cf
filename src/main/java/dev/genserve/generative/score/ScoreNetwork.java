package dev.genserve.generative.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.ConvScoreNet;
import dev.genserve.generative.nn.FourierFeatures;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.nn.ResidualMlp;
import dev.genserve.generative.nn.SinusoidalEmbedding;
import dev.genserve.generative.sde.LinearSde;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * A score model: a backbone F (plain MLP, residual FiLM MLP with Fourier features, or a small conv net) conditioned
 * on noise-level features φ and, for class-conditional models, a one-hot class (the last slot is the null class of
 * classifier-free guidance), read as a score in one of two parametrisations:
 * <ul>
 *   <li><b>EDM</b> ({@link EdmPreconditioning}): F gives the denoiser D(x̂; σ) = c_skip x̂ + c_out F(c_in x̂, φ(c_noise))
 *       in the variance-exploding frame x̂ = x/m(t), σ = s(t)/m(t) of any linear SDE, so one network serves the VP,
 *       sub-VP, VE, OU and Brownian samplers alike: s(x, t) = (m D(x/m; σ) − x)/s².</li>
 *   <li><b>ε</b>: F(x, φ(t/T)) predicts the noise, s = −ε/s(t); for a linear SDE D = (x − s ε)/m.</li>
 * </ul>
 * <b>Guard.</b> For linear SDEs the denoiser is projected onto the ball ‖D‖ ≤ R, R the largest norm of a training
 * row. The exact denoiser E[x₀ | x_t] lies in the data's convex hull, inside that ball, and a projection onto a
 * convex set never moves an estimate further from a point of the set: the clip cannot increase the denoiser's
 * error, and it stops the far outliers a high-frequency network can throw at high noise.
 */
public final class ScoreNetwork {

    /** Width of the residual MLP's conditioning embedding e (its FiLM layers cost FILM_WIDTH × 2·hidden per row). */
    static final int FILM_WIDTH = 32;

    /** The trainable function F(input, conditioning). */
    interface Backbone {
        NDArray apply(ParameterStore store, NDArray x, NDArray cond, boolean training);
    }

    /** Class labels and guidance scale for a score evaluation (labels null: unconditional). */
    public record Guidance(int[] labels, double scale) {
        public static final Guidance NONE = new Guidance(null, 1.0);
    }

    private final Block block;
    private final Backbone backbone;
    private final Shape[] inputShapes;
    private final Set<String> zeroInit;
    private final SinusoidalEmbedding embedding;
    private final double horizon;
    private final DoubleUnaryOperator noiseScale;
    private final EdmPreconditioning edm;
    private final int numClasses;
    private final double radius;

    private ScoreNetwork(Block block, Backbone backbone, Shape[] inputShapes, Set<String> zeroInit, int timeFeatures,
            double horizon, DoubleUnaryOperator noiseScale, EdmPreconditioning edm, int numClasses, double radius) {
        this.block = block;
        this.backbone = backbone;
        this.inputShapes = inputShapes;
        this.zeroInit = zeroInit;
        this.embedding = new SinusoidalEmbedding(timeFeatures, 1000.0);
        this.horizon = horizon;
        this.noiseScale = noiseScale;
        this.edm = edm;
        this.numClasses = numClasses;
        this.radius = radius;
    }

    /**
     * The network of a resolved config for an SDE; {@code noiseScale} is s(t) (or the fitted scale of a composed
     * SDE), used by the ε-parametrisation.
     */
    static ScoreNetwork of(DiffusionConfig c, Sde sde, DoubleUnaryOperator noiseScale) {
        int d = c.dimension();
        int classes = c.numClasses() == null ? 0 : c.numClasses();
        int cond = c.timeFeatures() + (classes > 0 ? classes + 1 : 0);
        EdmPreconditioning edm = c.edm() ? new EdmPreconditioning(c.sigmaData(), c.noiseMean(), c.noiseStd()) : null;
        double radius = sde instanceof LinearSde && c.dataRadius() != null ? c.dataRadius() : Double.NaN;
        switch (c.architecture()) {
            case "mlp" -> {
                ConditionedMlp mlp = new ConditionedMlp(d, cond, c.hidden(), c.depth(), d);
                return new ScoreNetwork(mlp, mlp::apply, mlp.inputShapes(), Set.of(), c.timeFeatures(),
                        sde.horizon(), noiseScale, edm, classes, radius);
            }
            case "resmlp" -> {
                FourierFeatures fourier = c.fourierCount() > 0
                        ? new FourierFeatures(d, c.fourierCount(), c.fourierScale(), c.seed()) : null;
                ResidualMlp mlp = new ResidualMlp(d, cond, c.hidden(), c.depth(), d, fourier, FILM_WIDTH);
                return new ScoreNetwork(mlp, mlp::apply, mlp.inputShapes(), ResidualMlp.zeroInitNames(),
                        c.timeFeatures(), sde.horizon(), noiseScale, edm, classes, radius);
            }
            case "conv" -> {
                int[] shape = c.imageShape().stream().mapToInt(Integer::intValue).toArray();
                ConvScoreNet net = new ConvScoreNet(shape, cond, c.hidden());
                return new ScoreNetwork(net, net::apply, net.inputShapes(), ConvScoreNet.zeroInitNames(),
                        c.timeFeatures(), sde.horizon(), noiseScale, edm, classes, radius);
            }
            default -> throw new IllegalArgumentException("unknown architecture " + c.architecture());
        }
    }

    public Block block() {
        return block;
    }

    /** Shapes, then seeded weights (zero-initialised residual branches and output where the backbone has them). */
    public void initialize(NDManager manager, long seed) {
        Networks.initialize(block, manager, seed, zeroInit, inputShapes);
    }

    public double noiseScale(double t) {
        return noiseScale.applyAsDouble(t);
    }

    public boolean edm() {
        return edm != null;
    }

    public int numClasses() {
        return numClasses;
    }

    /** The radius R of the denoiser guard, NaN when there is none (composed SDEs). */
    public double radius() {
        return radius;
    }

    /** [φ(level), one-hot class] for per-row levels in [0, 1] (N × 1) and labels (null, or numClasses = null class). */
    NDArray conditioning(NDArray level, int[] labels) {
        NDArray features = embedding.embed(level);
        if (numClasses == 0) {
            return features;
        }
        int n = Math.toIntExact(level.getShape().get(0));
        float[] hot = new float[n * (numClasses + 1)];
        for (int i = 0; i < n; i++) {
            int label = labels == null ? numClasses : labels[i];
            hot[i * (numClasses + 1) + label] = 1f;
        }
        return features.concat(FloatMatrix.nativeCopy(level.getManager(), hot, new Shape(n, numClasses + 1)), 1);
    }

    /** ε_θ(x, t) for per-row times t (N × 1, SDE time units): the ε-parametrisation. */
    public NDArray epsilon(ParameterStore store, NDArray x, NDArray t, int[] labels, boolean training) {
        return backbone.apply(store, x, conditioning(t.div((float) horizon), labels), training);
    }

    /** The raw EDM output F(c_in x̂, φ(c_noise)) for noisy rows x̂ at per-row σ (N × 1): what the EDM loss fits. */
    public NDArray edmOutput(ParameterStore store, NDArray noisy, float[] sigma, int[] labels, boolean training) {
        NDManager m = noisy.getManager();
        int n = sigma.length;
        float[] in = new float[n];
        float[] level = new float[n];
        for (int i = 0; i < n; i++) {
            in[i] = (float) edm.in(sigma[i]);
            level[i] = (float) EdmPreconditioning.noiseLevel(sigma[i]);
        }
        Shape column = new Shape(n, 1);
        return backbone.apply(store, noisy.mul(FloatMatrix.nativeCopy(m, in, column)),
                conditioning(FloatMatrix.nativeCopy(m, level, column), labels), training);
    }

    /** The EDM denoiser D(x̂; σ) = c_skip x̂ + c_out F at one σ for the whole batch (before the guard). */
    public NDArray denoise(ParameterStore store, NDArray noisy, double sigma, int[] labels) {
        int n = Math.toIntExact(noisy.getShape().get(0));
        float[] sigmas = new float[n];
        java.util.Arrays.fill(sigmas, (float) sigma);
        NDArray f = edmOutput(store, noisy, sigmas, labels, false);
        return noisy.mul((float) edm.skip(sigma)).add(f.mul((float) edm.out(sigma)));
    }

    /** Projects each row onto the ball of radius R (no-op without a guard). */
    NDArray guard(NDArray denoised) {
        if (Double.isNaN(radius)) {
            return denoised;
        }
        NDArray norm = denoised.norm(new int[] {1}, true).maximum(1e-12f);
        return denoised.mul(norm.pow(-1).mul((float) radius).minimum(1f));
    }

    /** The unconditional score s_θ(x, t) of the SDE the network was trained for. */
    public ScoreFunction scoreFunction(ParameterStore store, Sde sde) {
        return scoreFunction(store, sde, Guidance.NONE);
    }

    /**
     * The score for an SDE, with classifier-free guidance when {@code guidance} has labels and a scale w ≠ 1:
     * D = D(x | ∅) + w (D(x | c) − D(x | ∅)) (ε is combined the same way), then the guard.
     */
    public ScoreFunction scoreFunction(ParameterStore store, Sde sde, Guidance guidance) {
        if (guidance.labels() != null && numClasses == 0) {
            throw new IllegalArgumentException("the model is not class-conditional");
        }
        if (!(sde instanceof LinearSde linear)) {
            if (edm != null) {
                throw new IllegalArgumentException("EDM preconditioning needs a linear SDE");
            }
            return (x, t) -> guided(x, guidance, labels -> epsilon(store, x, times(x, t), labels, false))
                    .mul((float) (-1.0 / noiseScale(t)));
        }
        return (x, t) -> {
            double m = linear.mean(t);
            double s = linear.std(t);
            NDArray denoised;
            if (edm != null) {
                NDArray scaled = x.div((float) m);
                denoised = guided(x, guidance, labels -> denoise(store, scaled, s / m, labels));
            } else {
                NDArray eps = guided(x, guidance, labels -> epsilon(store, x, times(x, t), labels, false));
                denoised = x.sub(eps.mul((float) s)).div((float) m);
            }
            return guard(denoised).mul((float) m).sub(x).div((float) (s * s));
        };
    }

    private interface Evaluation {
        NDArray at(int[] labels);
    }

    /** f(c) for conditional labels, or f(∅) + w (f(c) − f(∅)); unconditional models evaluate f(∅) once. */
    private NDArray guided(NDArray x, Guidance guidance, Evaluation f) {
        if (guidance.labels() == null) {
            return f.at(null);
        }
        NDArray conditional = f.at(guidance.labels());
        if (guidance.scale() == 1.0) {
            return conditional;
        }
        NDArray unconditional = f.at(null);
        return unconditional.add(conditional.sub(unconditional).mul((float) guidance.scale()));
    }

    private static NDArray times(NDArray x, double t) {
        return x.getManager().full(new Shape(x.getShape().get(0), 1), (float) t);
    }
}
