package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.score.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Predictor–corrector sampling (Song et al. 2021): at each time a Langevin corrector step
 * x ← x + ε s + √(2ε) z with ε = 2(r·‖z‖/‖s‖)² (norms averaged over the batch, r = snr), then a reverse-diffusion
 * predictor x ← x − (f − g² s) h + g√h z (no noise on the last step). NFE = 2N.
 */
public final class PredictorCorrectorSampler implements ReverseSampler {

    public static final String NAME = "predictor-corrector";

    private final double snr;

    public PredictorCorrectorSampler(double snr) {
        if (!(snr > 0) || snr > 10) {
            throw new IllegalArgumentException("snr must be in (0, 10], got " + snr);
        }
        this.snr = snr;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SampleResult sample(Sde sde, ScoreFunction score, NDArray start, int steps, RandomSource random,
            int snapshots) {
        return StepLoop.run(start, sde.horizon(), sde.eps(), steps, snapshots, random, (x, t, dt, last, rng) -> {
            NDArray grad = score.score(x, t);
            NDArray z = rng.normal(x.getManager(), x.getShape());
            double gradNorm = grad.norm(new int[] {1}).mean().getFloat();
            double noiseNorm = z.norm(new int[] {1}).mean().getFloat();
            double ratio = snr * noiseNorm / Math.max(gradNorm, 1e-12);
            double eps = 2 * ratio * ratio;
            NDArray corrected = x.add(grad.mul((float) eps)).add(z.mul((float) Math.sqrt(2 * eps)));
            double h = -dt;
            double g = sde.diffusion(t);
            NDArray s = score.score(corrected, t);
            NDArray mean = corrected.sub(sde.drift(corrected, t).sub(s.mul((float) (g * g))).mul((float) h));
            if (last) {
                return mean;
            }
            return mean.add(rng.normal(x.getManager(), x.getShape()).mul((float) (g * Math.sqrt(h))));
        }, 2, 2);
    }
}
