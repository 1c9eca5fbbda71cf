package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.score.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Euler–Maruyama on the reverse SDE dx = [f − g² s] dt + g dw̄ from T to eps: with h = (T − eps)/N,
 * x ← x − (f − g² s) h + g√h z; the last step adds no noise. NFE = N.
 */
public final class EulerMaruyamaSampler implements ReverseSampler {

    public static final String NAME = "euler-maruyama";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SampleResult sample(Sde sde, ScoreFunction score, NDArray start, int steps, RandomSource random,
            int snapshots) {
        return StepLoop.run(start, sde.horizon(), sde.eps(), steps, snapshots, random, (x, t, dt, last, rng) -> {
            double h = -dt;
            double g = sde.diffusion(t);
            NDArray s = score.score(x, t);
            NDArray mean = x.sub(sde.drift(x, t).sub(s.mul((float) (g * g))).mul((float) h));
            if (last) {
                return mean;
            }
            return mean.add(rng.normal(x.getManager(), x.getShape()).mul((float) (g * Math.sqrt(h))));
        }, 1, 1);
    }
}
