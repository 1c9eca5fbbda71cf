package dev.genserve.generative.sde;

/**
 * Variance-exploding SDE dx = σ(t)√(2 ln(σ_max/σ_min)) dw with σ(t) = σ_min(σ_max/σ_min)^t on [eps, 1]:
 * m = 1, s² = σ(t)² − σ_min², prior N(0, σ_max² I). σ_max should be about the largest pairwise data distance. Its
 * discretisation adds exactly the variance of the step, G² = σ(t)² − σ(t − dt)² (Song et al.'s {@code VESDE}).
 */
public final class VeSde implements LinearSde {

    private final double sigmaMin;
    private final double sigmaMax;
    private final double horizon;
    private final double eps;

    public VeSde(double sigmaMin, double sigmaMax) {
        this(sigmaMin, sigmaMax, 1.0, 1e-3);
    }

    public VeSde(double sigmaMin, double sigmaMax, double horizon, double eps) {
        Sdes.require(sigmaMin > 0 && sigmaMax > sigmaMin, "sigmaMin/sigmaMax must satisfy 0 < sigmaMin < sigmaMax, got "
                + sigmaMin + ", " + sigmaMax);
        Sdes.checkTimes(horizon, eps);
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.horizon = horizon;
        this.eps = eps;
    }

    /** σ(t) with the exponent scaled so that σ(T) = σ_max. */
    double sigma(double t) {
        return sigmaMin * Math.pow(sigmaMax / sigmaMin, t / horizon);
    }

    @Override
    public String name() {
        return "ve";
    }

    @Override
    public double driftCoefficient(double t) {
        return 0;
    }

    @Override
    public double diffusion(double t) {
        return sigma(t) * Math.sqrt(2 * Math.log(sigmaMax / sigmaMin) / horizon);
    }

    @Override
    public Discretization discretize(ai.djl.ndarray.NDArray x, double t, double dt) {
        double a = sigma(t);
        double b = sigma(Math.max(t - dt, 0));
        return new Discretization(x.zerosLike(), Math.sqrt(Math.max(a * a - b * b, 0)));
    }

    @Override
    public double mean(double t) {
        return 1;
    }

    @Override
    public double std(double t) {
        double s = sigma(t);
        return Math.sqrt(Math.max(0, s * s - sigmaMin * sigmaMin));
    }

    @Override
    public double priorStd() {
        return sigmaMax;
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
