package dev.genserve.generative.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.RandomSource;

/**
 * An SDE with linear drift f(x,t) = a(t)·x and state-independent g(t): the marginal is
 * x_t | x_0 ~ N(m(t)·x_0, s(t)² I) and the prior is an isotropic Gaussian N(0, priorStd² I).
 */
public interface LinearSde extends Sde {

    /** Drift coefficient a(t) in f(x,t) = a(t)·x. */
    double driftCoefficient(double t);

    /** Mean coefficient m(t). */
    double mean(double t);

    /** Standard deviation s(t) (the square root of the marginal variance, not the variance). */
    double std(double t);

    /** Standard deviation of the isotropic prior N(0, priorStd² I). */
    double priorStd();

    @Override
    default NDArray drift(NDArray x, double t) {
        return x.mul((float) driftCoefficient(t));
    }

    @Override
    default NDArray samplePrior(NDManager manager, int n, int dim, RandomSource random) {
        return random.normal(manager, new ai.djl.ndarray.types.Shape(n, dim)).mul((float) priorStd());
    }

    @Override
    default double priorLogDensity(float[] x) {
        double sd = priorStd();
        double sq = 0;
        for (float v : x) {
            sq += (double) v * v;
        }
        return -0.5 * sq / (sd * sd) - x.length * (Math.log(sd) + 0.5 * Math.log(2 * Math.PI));
    }
}
