package dev.genserve.generative.attractor;

/**
 * The time grid t_k = T (k/K)^p, k = 0…K. With p &gt; 1 the steps are short near the data (t = 0), where the
 * distribution has fine structure, and long near the prior. {@link #stepEndingAt} extends the step length
 * Δ(t) = T[(u/K)^p − ((u−1)/K)^p], u = K (t/T)^{1/p}, continuously to any t, so that a score network trained on
 * this grid can be queried on another one.
 */
public final class TimeGrid {

    private final double horizon;
    private final int steps;
    private final double power;

    public TimeGrid(double horizon, int steps, double power) {
        this.horizon = horizon;
        this.steps = steps;
        this.power = power;
    }

    public int steps() {
        return steps;
    }

    public double horizon() {
        return horizon;
    }

    /** t_k = T (k/K)^p, exact at both ends. */
    public double time(int k) {
        if (k <= 0) {
            return 0;
        }
        if (k >= steps) {
            return horizon;
        }
        return horizon * Math.pow((double) k / steps, power);
    }

    /** t_{k+1} − t_k. */
    public double stepLength(int k) {
        return time(k + 1) - time(k);
    }

    /** Normalised clock u = (t/T)^{1/p} ∈ [0, 1], uniform in the step index; the network's time input. */
    public double clock(double t) {
        return Math.pow(Math.max(0, Math.min(1, t / horizon)), 1 / power);
    }

    /** Δ(t): the length of the grid step that ends at t (continuous in t, clamped to the first step). */
    public double stepEndingAt(double t) {
        double u = Math.max(1.0, steps * clock(t));
        return horizon * (Math.pow(u / steps, power) - Math.pow((u - 1) / steps, power));
    }
}
