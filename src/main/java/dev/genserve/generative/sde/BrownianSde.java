package dev.genserve.generative.sde;

/**
 * Brownian motion dx = σ dw: m = 1, s(t) = σ√t. The prior is the exact marginal at T of standardised data (zero
 * mean, unit variance) under the Gaussian approximation: N(0, (σ²T + 1) I).
 */
public final class BrownianSde implements LinearSde {

    private final double sigma;
    private final double horizon;
    private final double eps;

    public BrownianSde(double sigma, double horizon, double eps) {
        Sdes.require(sigma > 0, "sigma must be > 0, got " + sigma);
        Sdes.checkTimes(horizon, eps);
        this.sigma = sigma;
        this.horizon = horizon;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "brownian";
    }

    @Override
    public double driftCoefficient(double t) {
        return 0;
    }

    @Override
    public double diffusion(double t) {
        return sigma;
    }

    @Override
    public double mean(double t) {
        return 1;
    }

    @Override
    public double std(double t) {
        return sigma * Math.sqrt(t);
    }

    @Override
    public double priorStd() {
        return Math.sqrt(sigma * sigma * horizon + 1);
    }

    @Override
    public double horizon() {
        return horizon;
    }

    @Override
    public double eps() {
        return eps;
    }
}
