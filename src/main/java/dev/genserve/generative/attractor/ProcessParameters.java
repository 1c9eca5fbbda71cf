package dev.genserve.generative.attractor;

/**
 * Parameters of the mean-field attractor process dX = [α F_{p_t}(X) − β X] dt + √(2λ) dW on [0, T], simulated
 * by Euler–Maruyama on the grid t_k = T (k/K)^p (p = 1 uniform, p = 2 finer near the data).
 *
 * @param alpha strength α ≥ 0 of the mean-field attraction F
 * @param beta pull β ≥ 0 toward the origin
 * @param lambda diffusion λ &gt; 0 (noise √(2λ) dW)
 * @param delta softening δ &gt; 0 of F
 * @param horizon end time T &gt; 0
 * @param steps number K ≥ 1 of Euler–Maruyama steps
 * @param gridPower exponent p ≥ 1 of the time grid
 */
public record ProcessParameters(double alpha, double beta, double lambda, double delta, double horizon, int steps,
        double gridPower) {

    public static final double DEFAULT_ALPHA = 2.0;
    public static final double DEFAULT_BETA = 1.0;
    public static final double DEFAULT_LAMBDA = 1.0;
    public static final double DEFAULT_DELTA = 0.2;
    public static final double DEFAULT_HORIZON = 4.0;
    public static final int DEFAULT_STEPS = 100;
    public static final double DEFAULT_GRID_POWER = 2.0;

    public ProcessParameters {
        requireInRange("alpha", alpha, 0, 100);
        requireInRange("beta", beta, 0, 100);
        if (!(lambda > 0) || lambda > 100) {
            throw new IllegalArgumentException("lambda must be in (0, 100], got " + lambda);
        }
        if (!(delta > 0) || delta > 100) {
            throw new IllegalArgumentException("delta must be in (0, 100], got " + delta);
        }
        if (!(horizon > 0) || horizon > 1000) {
            throw new IllegalArgumentException("horizon (T) must be in (0, 1000], got " + horizon);
        }
        if (steps < 1 || steps > 100_000) {
            throw new IllegalArgumentException("simulationSteps must be in [1, 100000], got " + steps);
        }
        requireInRange("timeGridPower", gridPower, 1, 4);
    }

    /** The defaults: α = 2, β = 1, λ = 1, δ = 0.2, T = 4, 100 steps, quadratic grid. */
    public static ProcessParameters defaults() {
        return new ProcessParameters(DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_LAMBDA, DEFAULT_DELTA, DEFAULT_HORIZON,
                DEFAULT_STEPS, DEFAULT_GRID_POWER);
    }

    /** The pure Ornstein–Uhlenbeck case α = 0 on a uniform grid. */
    public static ProcessParameters ornsteinUhlenbeck(double beta, double lambda, double horizon, int steps) {
        return new ProcessParameters(0, beta, lambda, DEFAULT_DELTA, horizon, steps, 1.0);
    }

    public ProcessParameters withAlpha(double newAlpha) {
        return new ProcessParameters(newAlpha, beta, lambda, delta, horizon, steps, gridPower);
    }

    /**
     * σ(t): the std of x_t | x_0 of the process without attraction (an Ornstein–Uhlenbeck process),
     * √(λ(1 − e^{−2βt})/β), or √(2λt) for β = 0. The score network's ε-parametrisation scale.
     */
    public double noiseScale(double t) {
        double variance = beta > 0 ? lambda * -Math.expm1(-2 * beta * t) / beta : 2 * lambda * t;
        return Math.sqrt(Math.max(variance, 0));
    }

    public TimeGrid grid() {
        return new TimeGrid(horizon, steps, gridPower);
    }

    private static void requireInRange(String name, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(name + " must be in [" + low + ", " + high + "], got " + value);
        }
    }
}
