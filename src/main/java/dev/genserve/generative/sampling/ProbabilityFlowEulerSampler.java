package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.sde.ReverseSde;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Euler's method on the probability-flow ODE dx/dt = f − ½g²s ({@link Sde#reverse} with probabilityFlow) from T
 * to eps: x ← x + dt F(x, t). Deterministic given the start; one evaluation per step (NFE = N), for processes whose
 * drift is expensive (the attractor's mean field).
 */
public final class ProbabilityFlowEulerSampler implements ReverseSampler {

    public static final String NAME = "pf-ode-euler";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SampleResult sample(Sde sde, ScoreFunction score, NDArray start, double[] times, RandomSource random,
            int snapshots) {
        ReverseSde flow = sde.reverse(score, true);
        return StepLoop.run(start, times, snapshots, random,
                (x, t, dt, last, rng) -> x.add(flow.drift(x, t).mul((float) dt)), 1, 1);
    }
}
