package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.sde.ReverseSde;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Heun's method on the probability-flow ODE dx/dt = F(x,t) = f − ½g²s ({@link Sde#reverse} with probabilityFlow)
 * from T to eps: x' = x + dt F(x,t), x ← x + ½dt (F(x,t) + F(x', t+dt)); the last step is plain Euler.
 * Deterministic given the start; NFE = 2N − 1.
 */
public final class ProbabilityFlowHeunSampler implements ReverseSampler {

    public static final String NAME = "pf-ode-heun";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SampleResult sample(Sde sde, ScoreFunction score, NDArray start, double[] times, RandomSource random,
            int snapshots) {
        ReverseSde flow = sde.reverse(score, true);
        return StepLoop.run(start, times, snapshots, random, (x, t, dt, last, rng) -> {
            NDArray k1 = flow.drift(x, t);
            NDArray euler = x.add(k1.mul((float) dt));
            if (last) {
                return euler;
            }
            NDArray k2 = flow.drift(euler, t + dt);
            return x.add(k1.add(k2).mul((float) (0.5 * dt)));
        }, 2, 1);
    }
}
