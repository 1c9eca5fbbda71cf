package dev.genserve.generative.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.sde.LinearSde;
import dev.genserve.generative.train.TrainingLoop;

/**
 * Denoising score matching in ε-parametrisation for a linear SDE: t ~ U(eps, T), z ~ N(0, I),
 * x_t = m(t)x₀ + s(t)z, loss = mean ‖ε_θ(x_t, t) − z‖² (weighting λ(t) = s(t)²). Conditional models see their
 * labels, replaced by the null class with probability {@code classDropout}.
 */
public final class DenoisingScoreMatching {

    private DenoisingScoreMatching() {}

    public static TrainingLoop.LossFunction loss(ScoreNetwork network, LinearSde sde, FloatMatrix data, int batchSize) {
        return loss(network, sde, data, null, 0, batchSize);
    }

    public static TrainingLoop.LossFunction loss(ScoreNetwork network, LinearSde sde, FloatMatrix data, int[] labels,
            double classDropout, int batchSize) {
        int d = data.cols();
        double eps = sde.eps();
        double span = sde.horizon() - eps;
        return (scope, store, step, random) -> {
            int[] rows = random.indices(batchSize, data.rows());
            FloatMatrix x0 = data.selectRows(rows);
            float[] t = new float[batchSize];
            float[] m = new float[batchSize];
            float[] s = new float[batchSize];
            for (int i = 0; i < batchSize; i++) {
                double ti = eps + span * random.nextDouble();
                t[i] = (float) ti;
                m[i] = (float) sde.mean(ti);
                s[i] = (float) sde.std(ti);
            }
            int[] batchLabels = PreconditionedDenoising.batchLabels(labels, rows, network.numClasses(), classDropout,
                    random);
            NDArray z = random.normal(scope, new Shape(batchSize, d));
            Shape column = new Shape(batchSize, 1);
            NDArray xt = x0.toNd(scope).mul(FloatMatrix.nativeCopy(scope, m, column)).add(z.mul(FloatMatrix.nativeCopy(scope, s, column)));
            NDArray predicted = network.epsilon(store, xt, FloatMatrix.nativeCopy(scope, t, column), batchLabels, true);
            return predicted.sub(z).square().mean();
        };
    }
}
