package dev.genserve.generative.sde;

/**
 * Ornstein–Uhlenbeck SDE dx = −θx dt + σ dw: m(t) = e^{−θt}, s(t) = √(σ²(1 − e^{−2θt})/(2θ)). The prior is the
 * exact marginal at T of standardised data (zero mean, unit variance): N(0, (m(T)² + s(T)²) I), which tends to the
 * stationary N(0, σ²/(2θ) I) for large θT.
 */
public final class OrnsteinUhlenbeckSde implements LinearSde {

    private final double theta;
    private final double sigma;
    private final double horizon;
    private final double eps;

    public OrnsteinUhlenbeckSde(double theta, double sigma, double horizon, double eps) {
        Sdes.require(theta > 0, "theta must be > 0, got " + theta);
        Sdes.require(sigma > 0, "sigma must be > 0, got " + sigma);
        Sdes.checkTimes(horizon, eps);
        this.theta = theta;
        this.sigma = sigma;
        this.horizon = horizon;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "ou";
    }

    @Override
    public double driftCoefficient(double t) {
        return -theta;
    }

    @Override
    public double diffusion(double t) {
        return sigma;
    }

    @Override
    public double mean(double t) {
        return Math.exp(-theta * t);
    }

    @Override
    public double std(double t) {
        return Math.sqrt(sigma * sigma * -Math.expm1(-2 * theta * t) / (2 * theta));
    }

    @Override
    public double priorStd() {
        double m = mean(horizon);
        double s = std(horizon);
        return Math.sqrt(m * m + s * s);
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
