package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.sde.ReverseSde;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;

/**
 * Predictor–corrector sampling (Song et al. 2021, Alg. 2–3): at each time t_i a Langevin corrector step
 * x ← x + ε s + √(2ε) z with ε = 2α_i(r·‖z‖/‖s‖)² (norms averaged over the batch, r = snr, α_i =
 * {@link Sde#correctorStepScale}: 1 − β(t_i)h for VP and sub-VP, 1 otherwise), then the reverse-diffusion predictor
 * x ← x − (F − G²s) + G z on the SDE's own discretisation ({@link ReverseSde#discretize}; no noise on the last step).
 * NFE = 2N. When several requests are merged ({@link RandomSource#rowBlocks}), the norms are averaged per request.
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
    public SampleResult sample(Sde sde, ScoreFunction score, NDArray start, double[] times, RandomSource random,
            int snapshots) {
        ReverseSde reverse = sde.reverse(score, false);
        return StepLoop.run(start, times, snapshots, random, (x, t, dt, last, rng) -> {
            double h = -dt;
            NDArray grad = score.score(x, t);
            NDArray z = rng.normal(x.getManager(), x.getShape());
            NDArray corrected = correct(x, grad, z, sde.correctorStepScale(t, h), rng);
            Sde.Discretization step = reverse.discretize(corrected, t, h);
            NDArray mean = corrected.sub(step.shift());
            if (last) {
                return mean;
            }
            return mean.add(rng.normal(x.getManager(), x.getShape()).mul((float) step.noise()));
        }, 2, 2);
    }

    /**
     * The Langevin corrector x + ε s + √(2ε) z, with ε from the norms averaged over each of the source's row blocks
     * (the whole batch for one request; each request's own rows when several are merged, computed on that request's
     * slice exactly as alone).
     */
    private NDArray correct(NDArray x, NDArray grad, NDArray z, double stepScale, RandomSource rng) {
        int rows = Math.toIntExact(x.getShape().get(0));
        float[] epsilon = new float[rows];
        float[] noise = new float[rows];
        int from = 0;
        for (int block : rng.rowBlocks(rows)) {
            NDIndex slice = new NDIndex("{}:{}", from, from + block);
            double gradNorm = grad.get(slice).norm(new int[] {1}).mean().getFloat();
            double noiseNorm = z.get(slice).norm(new int[] {1}).mean().getFloat();
            double ratio = snr * noiseNorm / Math.max(gradNorm, 1e-12);
            double eps = 2 * stepScale * ratio * ratio;
            java.util.Arrays.fill(epsilon, from, from + block, (float) eps);
            java.util.Arrays.fill(noise, from, from + block, (float) Math.sqrt(2 * eps));
            from += block;
        }
        NDManager m = x.getManager();
        Shape column = new Shape(rows, 1);
        return x.add(grad.mul(FloatMatrix.nativeCopy(m, epsilon, column)))
                .add(z.mul(FloatMatrix.nativeCopy(m, noise, column)));
    }
}
