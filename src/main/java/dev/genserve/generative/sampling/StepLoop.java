package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;

/**
 * The loop every integrator shares: N steps on the grid t_i = t₀ + i(t₁ − t₀)/N, each step in its own NDManager
 * scope (the previous state is freed with it, the new state is moved to the caller's manager), K snapshots.
 */
final class StepLoop {

    /** One integration step from time t to t + dt; returns the new state (attached to x's manager). */
    interface Step {
        NDArray apply(NDArray x, double t, double dt, boolean last, RandomSource random);
    }

    private StepLoop() {}

    /**
     * Runs the loop. Takes ownership of {@code start} (it is freed). {@code nfePerStep} and {@code nfeLastStep}
     * count network/score evaluations.
     */
    static SampleResult run(NDArray start, double t0, double t1, int steps, int snapshots, RandomSource random,
            Step step, int nfePerStep, int nfeLastStep) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be ≥ 1, got " + steps);
        }
        NDManager root = start.getManager();
        Snapshots snaps = new Snapshots(steps, snapshots);
        NDArray x = start;
        if (snapshots > 0) {
            snaps.offer(0, t0, x);
        }
        double dt = (t1 - t0) / steps;
        for (int i = 0; i < steps; i++) {
            dev.genserve.generative.Interruptions.check();
            double t = t0 + i * dt;
            boolean last = i == steps - 1;
            try (NDManager scope = root.newSubManager()) {
                x.attach(scope);
                NDArray next = step.apply(x, t, last ? t1 - t : dt, last, random);
                next.attach(root);
                x = next;
            }
            if (snapshots > 0) {
                snaps.offer(i + 1, last ? t1 : t + dt, x);
            }
        }
        FloatMatrix samples = FloatMatrix.fromNd(x);
        x.close();
        int nfe = nfePerStep * (steps - 1) + nfeLastStep;
        return new SampleResult(samples, nfe, snaps.result());
    }
}
