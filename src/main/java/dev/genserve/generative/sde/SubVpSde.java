package dev.genserve.generative.sde;

/**
 * Sub-VP SDE dx = −½β(t)x dt + √(β(t)(1 − e^{−2∫β})) dw: the VP mean m(t) = exp(−½∫β) with
 * s(t) = 1 − m² (so s² = (1 − m²)²), prior N(0, I).
 */
public final class SubVpSde implements LinearSde {

    private final VpSde vp;

    public SubVpSde(double betaMin, double betaMax) {
        this(betaMin, betaMax, 1.0, 1e-3);
    }

    public SubVpSde(double betaMin, double betaMax, double horizon, double eps) {
        this.vp = new VpSde(betaMin, betaMax, horizon, eps);
    }

    @Override
    public String name() {
        return "subvp";
    }

    @Override
    public double driftCoefficient(double t) {
        return vp.driftCoefficient(t);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(vp.beta(t) * -Math.expm1(-2 * vp.integratedBeta(t)));
    }

    @Override
    public double correctorStepScale(double t, double dt) {
        return vp.correctorStepScale(t, dt);
    }

    @Override
    public double mean(double t) {
        return vp.mean(t);
    }

    @Override
    public double std(double t) {
        return -Math.expm1(-vp.integratedBeta(t));
    }

    @Override
    public double priorStd() {
        return 1.0;
    }

    @Override
    public double horizon() {
        return vp.horizon();
    }

    @Override
    public double eps() {
        return vp.eps();
    }
}
