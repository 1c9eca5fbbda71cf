package dev.genserve.generative.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.density.DiffusedMixture;
import dev.genserve.generative.density.GaussianDensity;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.sde.VpSde;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PF-ODE log-likelihood of Gaussian data with the analytic score against the analytic log-density at eps. */
class ProbabilityFlowLikelihoodTest {

    private static final GaussianMixture DATA = new GaussianMixture(new double[] {1}, List.of(
            new GaussianDensity(new double[] {0.5, -0.3}, new double[][] {{0.6, 0.2}, {0.2, 0.4}})));

    private static double[] run(ProbabilityFlowLikelihood likelihood, FloatMatrix x) {
        VpSde vp = new VpSde(0.1, 20);
        try (NDManager m = NDManager.newBaseManager()) {
            return likelihood.logProb(vp, new DiffusedMixture(DATA, vp), x, m, new RandomSource(9));
        }
    }

    @Test
    void exactTraceMatchesTheAnalyticLogDensity() {
        VpSde vp = new VpSde(0.1, 20);
        FloatMatrix x = DATA.sample(200, new RandomSource(1));
        double[] truth = new DiffusedMixture(DATA, vp).at(vp.eps()).logProb(x);
        double[] est = run(new ProbabilityFlowLikelihood(200, ProbabilityFlowLikelihood.Divergence.EXACT, 1, 1e-2),
                x);
        double maxErr = 0;
        for (int i = 0; i < truth.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(est[i] - truth[i]));
        }
        assertThat(maxErr).as("max |log p error| in nats").isLessThan(0.02);
    }

    @Test
    void hutchinsonMatchesOnAverage() {
        VpSde vp = new VpSde(0.1, 20);
        FloatMatrix x = DATA.sample(200, new RandomSource(2));
        double[] truth = new DiffusedMixture(DATA, vp).at(vp.eps()).logProb(x);
        double[] est = run(new ProbabilityFlowLikelihood(100,
                ProbabilityFlowLikelihood.Divergence.HUTCHINSON, 4, 1e-2), x);
        double meanErr = 0;
        double maxErr = 0;
        for (int i = 0; i < truth.length; i++) {
            meanErr += (est[i] - truth[i]) / truth.length;
            maxErr = Math.max(maxErr, Math.abs(est[i] - truth[i]));
        }
        assertThat(Math.abs(meanErr)).as("mean error").isLessThan(0.05);
        assertThat(maxErr).as("max error").isLessThan(1.0);
    }

    @Test
    void exactTraceIsLimitedToSmallDimensions() {
        FloatMatrix x = FloatMatrix.zeros(2, 17);
        assertThatThrownBy(() -> new ProbabilityFlowLikelihood(10, ProbabilityFlowLikelihood.Divergence.EXACT, 1,
                1e-2).logProb(new VpSde(0.1, 20), (a, t) -> a, x, null, new RandomSource(0)))
                .hasMessageContaining("D ≤ 16");
    }
}
