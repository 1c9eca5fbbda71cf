package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.sde.Sde;

/**
 * Euler–Maruyama simulation of any forward SDE from data, x ← x + f(x,t) dt + g(t)√dt z on [0, T], for
 * visualisation (trajectory snapshots), for fitting composed SDEs and for the attractor's simulated training clouds.
 * NFE = 0 (no score is needed).
 */
public final class ForwardSimulator {

    private ForwardSimulator() {}

    /** Simulates from {@code start} (ownership taken) at t = 0 to {@code until} in N steps. */
    public static SampleResult simulate(Sde sde, NDArray start, double until, int steps, RandomSource random,
            int snapshots) {
        return simulate(sde, start, StepLoop.uniform(0, until, steps), random, snapshots);
    }

    /** Simulates from {@code start} (ownership taken) over an ascending time grid t₀ &lt; t₁ &lt; … &lt; t_N. */
    public static SampleResult simulate(Sde sde, NDArray start, double[] times, RandomSource random, int snapshots) {
        return StepLoop.run(start, times, snapshots, random, (x, t, dt, last, rng) -> {
            NDArray z = rng.normal(x.getManager(), x.getShape()).mul((float) (sde.diffusion(t) * Math.sqrt(dt)));
            return x.add(sde.drift(x, t).mul((float) dt)).add(z);
        }, 0, 0);
    }
}
