package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.score.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Heun's method on the probability-flow ODE dx/dt = F(x,t) = f − ½g² s from T to eps: x' = x + dt F(x,t),
 * x ← x + ½dt (F(x,t) + F(x', t+dt)); the last step is plain Euler. Deterministic given the start;
 * NFE = 2N − 1.
 */
public final class ProbabilityFlowHeunSampler implements ReverseSampler {

    public static final String NAME = "pf-ode-heun";

    /** The probability-flow velocity F(x,t) = f(x,t) − ½g(t)² s(x,t). */
    public static NDArray velocity(Sde sde, ScoreFunction score, NDArray x, double t) {
        double g = sde.diffusion(t);
        return sde.drift(x, t).sub(score.score(x, t).mul((float) (0.5 * g * g)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SampleResult sample(Sde sde, ScoreFunction score, NDArray start, int steps, RandomSource random,
            int snapshots) {
        return StepLoop.run(start, sde.horizon(), sde.eps(), steps, snapshots, random, (x, t, dt, last, rng) -> {
            NDArray k1 = velocity(sde, score, x, t);
            NDArray euler = x.add(k1.mul((float) dt));
            if (last) {
                return euler;
            }
            NDArray k2 = velocity(sde, score, euler, t + dt);
            return x.add(k1.add(k2).mul((float) (0.5 * dt)));
        }, 2, 1);
    }
}
