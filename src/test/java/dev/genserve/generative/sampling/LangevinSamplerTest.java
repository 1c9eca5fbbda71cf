package dev.genserve.generative.sampling;

import static dev.genserve.generative.sampling.MixtureFixture.MIXTURE;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.sde.VpSde;
import org.junit.jupiter.api.Test;

/**
 * Langevin dynamics with an exact score. Unadjusted Langevin cannot cross the deep barriers of the well-separated
 * test mixture in a test's budget (a chain stays in the basin it starts in), so it is checked on an overlapping
 * 2-component mixture from a broad N(0, 2²I) start: 1000 steps of η = 0.03 (integrated time 30, ≫ the mixing time);
 * unadjusted Langevin has an O(η) variance bias of ≈ 1–2%, within the 0.12 covariance tolerance.
 */
class LangevinSamplerTest {

    private static final GaussianMixture OVERLAPPING = GaussianMixture.isotropic(new double[] {0.6, 0.4},
            new double[][] {{-1, 0}, {1, 0.5}}, new double[] {0.8, 0.8});

    @Test
    void langevinSamplesTheMixture() {
        SampleResult result;
        try (NDManager m = NDManager.newBaseManager()) {
            RandomSource random = new RandomSource(11);
            result = new LangevinSampler(0.03).sample(OVERLAPPING, 0,
                    random.normal(m, new Shape(2000, 2)).mul(2f), 1000, random, 5);
        }
        FloatMatrix x = result.samples();
        assertThat(result.trajectory()).hasSize(5);
        assertThat(result.functionEvaluations()).isEqualTo(1000);
        assertThat(MixtureFixture.maxAbs(MixtureFixture.mean(x), OVERLAPPING.mean())).isLessThan(0.1);
        assertThat(MixtureFixture.maxAbs(MixtureFixture.covariance(x), OVERLAPPING.covariance())).isLessThan(0.12);
    }

    @Test
    void forwardSimulationOfVpReachesTheStandardNormal() {
        SampleResult result;
        try (NDManager m = NDManager.newBaseManager()) {
            RandomSource random = new RandomSource(5);
            result = ForwardSimulator.simulate(new VpSde(0.1, 20), MIXTURE.sample(2000, random).toNd(m), 1.0, 200,
                    random, 3);
        }
        FloatMatrix x = result.samples();
        assertThat(result.trajectory()).hasSize(3);
        assertThat(result.trajectory().get(0).t()).isEqualTo(0);
        assertThat(result.trajectory().get(2).t()).isEqualTo(1.0);
        double[][] cov = MixtureFixture.covariance(x);
        assertThat(MixtureFixture.maxAbs(MixtureFixture.mean(x), new double[2])).isLessThan(0.08);
        assertThat(MixtureFixture.maxAbs(cov, new double[][] {{1, 0}, {0, 1}})).isLessThan(0.1);
    }
}
