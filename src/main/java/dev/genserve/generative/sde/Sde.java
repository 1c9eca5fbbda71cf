package dev.genserve.generative.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.RandomSource;
import java.util.Optional;

/**
 * A forward SDE dx = f(x,t) dt + g(t) dw on t ∈ [eps, T] with a Gaussian prior p_T that can be sampled and
 * evaluated. Linear SDEs ({@link LinearSde}) also expose the closed-form marginal x_t | x_0 ~ N(m(t) x_0, s(t)² I).
 */
public interface Sde {

    /** Short name, e.g. "vp". */
    String name();

    /** Drift f(x, t); the result is attached to x's manager. */
    NDArray drift(NDArray x, double t);

    /** Diffusion coefficient g(t). */
    double diffusion(double t);

    /** End time T. */
    double horizon();

    /** Smallest time eps at which training and sampling stop (avoids the singular score at t = 0). */
    double eps();

    /** n draws from the prior p_T in dimension dim. */
    NDArray samplePrior(NDManager manager, int n, int dim, RandomSource random);

    /** log p_T(x) for one point. */
    double priorLogDensity(float[] x);

    /**
     * One forward step of length dt from time t − dt to t, written x_t = x_{t−dt} + shift + noise·z: the Euler–Maruyama
     * step (shift = f dt, noise = g√dt) unless the SDE has a better one (Song et al.'s {@code discretize}).
     */
    record Discretization(NDArray shift, double noise) {}

    /** The forward discretisation of the step ending at t (default: Euler–Maruyama at t). */
    default Discretization discretize(NDArray x, double t, double dt) {
        return new Discretization(drift(x, t).mul((float) dt), diffusion(t) * Math.sqrt(dt));
    }

    /**
     * The reverse-time SDE (or, with {@code probabilityFlow}, the probability-flow ODE) of this SDE for the score
     * {@code score}; see {@link ReverseSde}.
     */
    default ReverseSde reverse(ScoreFunction score, boolean probabilityFlow) {
        return new ReverseSde(this, score, probabilityFlow);
    }

    /**
     * The factor α_i of the Langevin corrector's step size at the step of length dt ending at t (Song et al.'s
     * {@code LangevinCorrector}): 1 − β(t)dt for VP-type SDEs, 1 otherwise.
     */
    default double correctorStepScale(double t, double dt) {
        return 1.0;
    }

    /** The closed-form marginal, if the SDE is linear. */
    default Optional<LinearSde> linear() {
        return this instanceof LinearSde l ? Optional.of(l) : Optional.empty();
    }
}
