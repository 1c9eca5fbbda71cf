package dev.genserve.generative.attractor;

/**
 * The time grid t_k = T (k/K)^p, k = 0…K. With p &gt; 1 the steps are short near the data (t = 0), where the
 * distribution has fine structure, and long near the prior. The clock u = (t/T)^{1/p} ∈ [0, 1] is uniform in the
 * step index and is what the score network sees; training draws u continuously, so a network trained with one K can
 * be sampled on any grid.
 */
public final class TimeGrid {

    private final double horizon;
    private final int steps;
    private final double power;

    public TimeGrid(double horizon, int steps, double power) {
        if (!(horizon > 0) || steps < 1 || !(power >= 1)) {
            throw new IllegalArgumentException("invalid time grid: T=" + horizon + " K=" + steps + " p=" + power);
        }
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

    public double power() {
        return power;
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

    /** t(u) = T u^p for a clock u ∈ [0, 1]. */
    public double timeAtClock(double u) {
        return horizon * Math.pow(Math.max(0, Math.min(1, u)), power);
    }

    /** Normalised clock u = (t/T)^{1/p} ∈ [0, 1], uniform in the step index; the network's time input. */
    public double clock(double t) {
        return Math.pow(Math.max(0, Math.min(1, t / horizon)), 1 / power);
    }

    /** The grid interval k with t_k ≤ t &lt; t_{k+1} (K − 1 for t = T). */
    public int intervalOf(double t) {
        int k = (int) Math.floor(clock(t) * steps);
        k = Math.max(0, Math.min(steps - 1, k));
        while (k > 0 && time(k) > t) {
            k--;
        }
        while (k < steps - 1 && time(k + 1) <= t) {
            k++;
        }
        return k;
    }

    /** t_0 = 0 &lt; … &lt; t_K = T, for forward simulation. */
    public double[] ascending() {
        double[] out = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            out[k] = time(k);
        }
        return out;
    }

    /** t_K = T &gt; … &gt; t_0 = 0, for reverse sampling. */
    public double[] descending() {
        double[] out = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            out[k] = time(steps - k);
        }
        return out;
    }
}
