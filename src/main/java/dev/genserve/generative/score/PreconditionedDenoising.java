package dev.genserve.generative.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.train.TrainingLoop;

/**
 * EDM's denoising loss (Karras et al. 2022, eq. 8 with Table 1's preconditioning): ln σ ~ N(P_mean, P_std²),
 * z ~ N(0, I), x̂ = x₀ + σz, loss = mean ‖F(c_in x̂, φ(c_noise)) − (x₀ − c_skip x̂)/c_out‖², which is
 * λ(σ)‖D(x̂; σ) − x₀‖² with λ = 1/c_out². Conditional models see their labels, replaced by the null class with
 * probability {@code classDropout} (classifier-free guidance).
 */
public final class PreconditionedDenoising {

    private PreconditionedDenoising() {}

    public static TrainingLoop.LossFunction loss(ScoreNetwork network, EdmPreconditioning edm, FloatMatrix data,
            int[] labels, double classDropout, int batchSize) {
        int d = data.cols();
        return (scope, store, step, random) -> {
            int[] rows = random.indices(batchSize, data.rows());
            float[] sigma = new float[batchSize];
            float[] skip = new float[batchSize];
            float[] invOut = new float[batchSize];
            for (int i = 0; i < batchSize; i++) {
                double s = edm.sigma(random.nextGaussian());
                sigma[i] = (float) s;
                skip[i] = (float) edm.skip(s);
                invOut[i] = (float) (1 / edm.out(s));
            }
            int[] batchLabels = batchLabels(labels, rows, network.numClasses(), classDropout, random);
            Shape column = new Shape(batchSize, 1);
            NDArray x0 = data.selectRows(rows).toNd(scope);
            NDArray noisy = x0.add(random.normal(scope, new Shape(batchSize, d)).mul(FloatMatrix.nativeCopy(scope, sigma, column)));
            NDArray target = x0.sub(noisy.mul(FloatMatrix.nativeCopy(scope, skip, column))).mul(FloatMatrix.nativeCopy(scope, invOut, column));
            NDArray predicted = network.edmOutput(store, noisy, sigma, batchLabels, true);
            return predicted.sub(target).square().mean();
        };
    }

    /**
     * The labels of the batch rows for a conditional model (each replaced by the null class {@code numClasses} with
     * probability {@code dropout}); null for an unconditional one.
     */
    static int[] batchLabels(int[] labels, int[] rows, int numClasses, double dropout, RandomSource random) {
        if (numClasses == 0) {
            return null;
        }
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = random.nextDouble() < dropout ? numClasses : labels[rows[i]];
        }
        return out;
    }
}
