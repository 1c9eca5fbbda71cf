package dev.genserve.generative.attractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.density.DiffusedMixture;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.sde.OrnsteinUhlenbeckSde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attractor's forward process as an Sde: its drift is α F − β x over the batch, and reversing it through the
 * shared Sde.reverse and sampler registry, with the exact score where one exists (α = 0: an Ornstein–Uhlenbeck
 * process, whose marginals of a Gaussian mixture are mixtures), turns the prior back into the data.
 */
class AttractorSdeTest {

    static final GaussianMixture MIXTURE = GaussianMixture.isotropic(new double[] {0.5, 0.3, 0.2},
            new double[][] {{-1.2, -1.0}, {2.0, 0.0}, {0.0, 2.5}}, new double[] {0.35, 0.35, 0.35});

    @Test
    void driftIsTheSelfExcludedMeanFieldMinusTheLinearPull() {
        ProcessParameters p = new ProcessParameters(0.7, 1.5, 1.0, 0.3, 4.0, 10, 2.0);
        AttractorSde sde = AttractorSde.forward(p);
        FloatMatrix x = new FloatMatrix(new RandomSource(3).gaussians(40), 20, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray xs = x.toNd(manager);
            float[] drift = sde.drift(xs, 1.0).toFloatArray();
            float[] field = new MeanFieldAttraction(0.3, 7).selfField(xs).toFloatArray();
            for (int i = 0; i < drift.length; i++) {
                assertThat(drift[i]).isCloseTo((float) (0.7 * field[i] - 1.5 * x.data()[i]),
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        assertThat(sde.diffusion(0.3)).isEqualTo(Math.sqrt(2.0));
        assertThat(sde.horizon()).isEqualTo(4.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reverse-sde", "probability-flow", "predictor-corrector"})
    void withoutAttractionTheReverseWithTheExactScoreRecoversTheMixture(String sampler) {
        double beta = 1.0;
        double lambda = 1.0;
        double horizon = 4.0;
        ProcessParameters p = new ProcessParameters(0, beta, lambda, 0.2, horizon, 100, 2.0);
        DiffusedMixture truth = new DiffusedMixture(MIXTURE,
                new OrnsteinUhlenbeckSde(beta, Math.sqrt(2 * lambda), horizon, 1e-3));
        GaussianPrior prior = GaussianPrior.fit(truth.at(horizon).sample(20_000, new RandomSource(1)));
        AttractorSde sde = new AttractorSde(p, 1024, prior);
        double[] times = new TimeGrid(horizon, 200, 2.0).descending();
        FloatMatrix x;
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomSource random = new RandomSource(42);
            x = AttractorGenerator.sampler(sampler).sample(sde, truth, sde.samplePrior(manager, 2000, 2, random),
                    times, random, 0).samples();
        }
        GaussianPrior moments = GaussianPrior.fit(x);
        double[] mean = MIXTURE.mean();
        double[][] cov = MIXTURE.covariance();
        for (int a = 0; a < 2; a++) {
            assertThat(moments.mean()[a]).as("mean %d", a).isCloseTo(mean[a], within(0.15));
            for (int b = 0; b < 2; b++) {
                assertThat(moments.covariance()[a][b]).as("cov %d%d", a, b).isCloseTo(cov[a][b], within(0.3));
            }
        }
        double[] weights = new double[3];
        for (int k : MIXTURE.assign(x)) {
            weights[k] += 1.0 / x.rows();
        }
        assertThat(weights[0]).isCloseTo(0.5, within(0.04));
        assertThat(weights[1]).isCloseTo(0.3, within(0.04));
        assertThat(weights[2]).isCloseTo(0.2, within(0.04));
    }
}
