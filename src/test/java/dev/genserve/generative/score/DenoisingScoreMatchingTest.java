package dev.genserve.generative.score;

import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.SdeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.density.DiffusedMixture;
import dev.genserve.generative.density.GaussianDensity;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.sde.VpSde;
import dev.genserve.generative.train.TrainingContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DSM on 2-D Gaussian data must learn the analytic score of the diffused Gaussian: relative L2 error
 * ‖s_θ − s‖/‖s‖ over points drawn from p_t below 0.15 at t ∈ {0.1, 0.5, 0.9} after 800 steps.
 */
class DenoisingScoreMatchingTest {

    static final GaussianMixture GAUSSIAN = new GaussianMixture(new double[] {1}, List.of(
            new GaussianDensity(new double[] {0.5, -0.5}, new double[][] {{0.25, 0.1}, {0.1, 1.0}})));

    @Test
    void learnsTheAnalyticScoreOfGaussianData() {
        FloatMatrix data = GAUSSIAN.sample(4000, new RandomSource(1));
        DiffusionFamily family = new DiffusionFamily();
        DiffusionConfig config = family.resolve(DiffusionConfig.defaults().withNetwork(64, 2)
                .withTraining(800, 256, 3e-3, 5L).withEma(0.99, 50), TrainingData.of(data));
        VpSde vp = new VpSde(0.1, 20);
        DiffusedMixture truth = new DiffusedMixture(GAUSSIAN, vp);
        try (DiffusionGenerator generator = family.train(TrainingData.of(data), config, TrainingContext.simple());
                NDManager m = NDManager.newBaseManager()) {
            ScoreFunction learned = generator.scoreFunction(new ParameterStore(m, false));
            for (double t : new double[] {0.1, 0.5, 0.9}) {
                FloatMatrix x = truth.at(t).sample(2000, new RandomSource(7));
                NDArray xs = x.toNd(m);
                float[] est = learned.score(xs, t).toFloatArray();
                float[] exact = truth.score(xs, t).toFloatArray();
                double err = 0;
                double norm = 0;
                for (int i = 0; i < est.length; i++) {
                    err += Math.pow(est[i] - exact[i], 2);
                    norm += Math.pow(exact[i], 2);
                }
                double relative = Math.sqrt(err / norm);
                System.out.printf("DSM relative score error at t=%.1f: %.4f%n", t, relative);
                assertThat(relative).as("relative error at t=" + t).isLessThan(0.15);
            }
        }
    }
}
