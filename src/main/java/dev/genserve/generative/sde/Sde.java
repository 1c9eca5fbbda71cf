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

    /** The closed-form marginal, if the SDE is linear. */
    default Optional<LinearSde> linear() {
        return this instanceof LinearSde l ? Optional.of(l) : Optional.empty();
    }
}
