package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;

/**
 * The loop every integrator shares: one step per interval of a time grid t₀, t₁, …, t_N (ascending for forward
 * simulation, descending for reverse sampling), each step in its own NDManager scope (the previous state is freed
 * with it, the new state is moved to the caller's manager), K snapshots.
 */
final class StepLoop {

    /** One integration step from time t to t + dt (dt &lt; 0 in reverse time); returns the new state. */
    interface Step {
        NDArray apply(NDArray x, double t, double dt, boolean last, RandomSource random);
    }

    private StepLoop() {}

    /**
     * Runs the loop over {@code times}. Takes ownership of {@code start} (it is freed). {@code nfePerStep} and
     * {@code nfeLastStep} count network/score evaluations.
     */
    static SampleResult run(NDArray start, double[] times, int snapshots, RandomSource random, Step step,
            int nfePerStep, int nfeLastStep) {
        int steps = times.length - 1;
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be ≥ 1, got " + steps);
        }
        NDManager root = start.getManager();
        Snapshots snaps = new Snapshots(steps, snapshots);
        NDArray x = start;
        if (snapshots > 0) {
            snaps.offer(0, times[0], x);
        }
        for (int i = 0; i < steps; i++) {
            dev.genserve.generative.Interruptions.check();
            boolean last = i == steps - 1;
            try (NDManager scope = root.newSubManager()) {
                x.attach(scope);
                NDArray next = step.apply(x, times[i], times[i + 1] - times[i], last, random);
                next.attach(root);
                x = next;
            }
            if (snapshots > 0) {
                snaps.offer(i + 1, times[i + 1], x);
            }
        }
        FloatMatrix samples = FloatMatrix.fromNd(x);
        x.close();
        int nfe = nfePerStep * (steps - 1) + nfeLastStep;
        return new SampleResult(samples, nfe, snaps.result());
    }

    /** N + 1 evenly spaced times from t0 to t1 (both included exactly). */
    static double[] uniform(double t0, double t1, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be ≥ 1, got " + steps);
        }
        double[] times = new double[steps + 1];
        double dt = (t1 - t0) / steps;
        for (int i = 0; i < steps; i++) {
            times[i] = t0 + i * dt;
        }
        times[steps] = t1;
        return times;
    }
}
