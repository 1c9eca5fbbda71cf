package dev.genserve.generative.sde;

/**
 * Variance-preserving SDE dx = −½β(t)x dt + √β(t) dw with β(t) = β_min + (t/T)(β_max − β_min) on [eps, T] (β reaches
 * β_max at T whatever T is): m(t) = exp(−½∫₀ᵗβ), s² = 1 − m², prior N(0, I). Its discretisation is the DDPM step
 * x_t = √(1 − β(t)dt)·x_{t−dt} + √(β(t)dt)·z, as in Song et al.'s {@code VPSDE.discretize}.
 */
public final class VpSde implements LinearSde {

    private final double betaMin;
    private final double betaMax;
    private final double horizon;
    private final double eps;

    public VpSde(double betaMin, double betaMax) {
        this(betaMin, betaMax, 1.0, 1e-3);
    }

    public VpSde(double betaMin, double betaMax, double horizon, double eps) {
        Sdes.require(betaMin > 0 && betaMax >= betaMin, "betaMin/betaMax must satisfy 0 < betaMin ≤ betaMax, got "
                + betaMin + ", " + betaMax);
        Sdes.checkTimes(horizon, eps);
        this.betaMin = betaMin;
        this.betaMax = betaMax;
        this.horizon = horizon;
        this.eps = eps;
    }

    double beta(double t) {
        return betaMin + t / horizon * (betaMax - betaMin);
    }

    /** ∫₀ᵗ β(u) du. */
    double integratedBeta(double t) {
        return betaMin * t + 0.5 * t * t / horizon * (betaMax - betaMin);
    }

    @Override
    public Discretization discretize(ai.djl.ndarray.NDArray x, double t, double dt) {
        double b = Math.min(beta(t) * dt, 1.0);
        return new Discretization(x.mul((float) (Math.sqrt(1 - b) - 1)), Math.sqrt(b));
    }

    @Override
    public double correctorStepScale(double t, double dt) {
        return 1 - Math.min(beta(t) * dt, 1.0);
    }

    @Override
    public String name() {
        return "vp";
    }

    @Override
    public double driftCoefficient(double t) {
        return -0.5 * beta(t);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(beta(t));
    }

    @Override
    public double mean(double t) {
        return Math.exp(-0.5 * integratedBeta(t));
    }

    @Override
    public double std(double t) {
        return Math.sqrt(-Math.expm1(-integratedBeta(t)));
    }

    @Override
    public double priorStd() {
        return 1.0;
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
