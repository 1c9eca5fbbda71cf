package dev.genserve.generative.likelihood;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.density.DiffusedMixture;
import dev.genserve.generative.density.GaussianDensity;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.sde.VpSde;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The likelihood pipeline of the endpoint (standardise, PF-ODE log p of the standardised rows, add the
 * standardisation's log-Jacobian) against the closed-form log-density of a Gaussian mixture in data units. The score
 * is the exact one of the mixture pushed through the data's own standardisation, so what is tested is the ODE
 * integration, the divergence and the change of units, not a network.
 */
class DataLikelihoodTest {

    /** A 2-D mixture far from unit scale: means in the tens, stds of a few units, different per axis. */
    private static final GaussianMixture DATA = new GaussianMixture(new double[] {0.6, 0.4}, List.of(
            new GaussianDensity(new double[] {10, -4}, new double[][] {{4, 1.5}, {1.5, 2.25}}),
            new GaussianDensity(new double[] {16, 3}, new double[][] {{2.25, -1}, {-1, 4}})));

    /** The mixture of z = (x − μ)/σ: means (μ_k − μ)/σ, covariances D⁻¹Σ_kD⁻¹. */
    static GaussianMixture standardised(GaussianMixture mixture, Standardizer s) {
        List<GaussianDensity> comps = new ArrayList<>();
        double[] w = new double[mixture.size()];
        double[] mean = s.mean();
        double[] std = s.std();
        for (int k = 0; k < mixture.size(); k++) {
            w[k] = mixture.weight(k);
            double[] mu = mixture.component(k).mean();
            double[][] cov = mixture.component(k).covariance();
            for (int i = 0; i < mu.length; i++) {
                mu[i] = (mu[i] - mean[i]) / std[i];
                for (int j = 0; j < mu.length; j++) {
                    cov[i][j] /= std[i] * std[j];
                }
            }
            comps.add(new GaussianDensity(mu, cov));
        }
        return new GaussianMixture(w, comps);
    }

    @Test
    void logDensityInDataUnitsMatchesTheClosedFormWithin005Nats() {
        FloatMatrix train = DATA.sample(5000, new RandomSource(1));
        Standardizer standardizer = Standardizer.fit(train);
        VpSde vp = new VpSde(0.1, 20);
        DiffusedMixture score = new DiffusedMixture(standardised(DATA, standardizer), vp);
        FloatMatrix x = DATA.sample(100, new RandomSource(2));
        double[] truth = DATA.logProb(x);
        for (ProbabilityFlowLikelihood estimator : new ProbabilityFlowLikelihood[] {
                new ProbabilityFlowLikelihood(200, ProbabilityFlowLikelihood.Divergence.EXACT, 1, 1e-2),
                new ProbabilityFlowLikelihood(200, ProbabilityFlowLikelihood.Divergence.HUTCHINSON, 16, 1e-2)}) {
            double[] z;
            try (NDManager m = NDManager.newBaseManager()) {
                z = estimator.logProb(vp, score, standardizer.forward(x), m, new RandomSource(3));
            }
            DataLikelihood result = DataLikelihood.of(z, standardizer);
            double jacobian = -Math.log(standardizer.std()[0]) - Math.log(standardizer.std()[1]);
            assertThat(result.logJacobian()).isEqualTo(jacobian);
            double maxErr = 0;
            double meanErr = 0;
            for (int i = 0; i < truth.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(result.logLikelihood()[i] - truth[i]));
                meanErr += (result.logLikelihood()[i] - truth[i]) / truth.length;
                assertThat(result.bitsPerDim()[i]).isEqualTo(-result.logLikelihood()[i] / (2 * Math.log(2)));
            }
            System.out.printf("data-unit log p, %s: max |error| %.4f, mean error %.4f nats%n", estimator.divergence(),
                    maxErr, meanErr);
            if (estimator.divergence() == ProbabilityFlowLikelihood.Divergence.EXACT) {
                assertThat(maxErr).as("max |log p error|, nats").isLessThan(0.05);
            } else {
                // unbiased but noisy per row (sd ≈ 0.3 nats at 16 probes): the mean over 100 rows has sd ≈ 0.03
                assertThat(Math.abs(meanErr)).as("mean log p error, nats").isLessThan(0.1);
            }
        }
    }
}
