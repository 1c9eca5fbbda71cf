package dev.genserve.generative.sde;

/**
 * Variance-preserving SDE dx = −½β(t)x dt + √β(t) dw with β(t) = β_min + t(β_max − β_min) on [eps, 1]:
 * m(t) = exp(−½∫₀ᵗβ), s² = 1 − m², prior N(0, I).
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
        return betaMin + t * (betaMax - betaMin);
    }

    /** ∫₀ᵗ β(u) du. */
    double integratedBeta(double t) {
        return betaMin * t + 0.5 * t * t * (betaMax - betaMin);
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
