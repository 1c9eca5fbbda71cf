package dev.genserve.generative.attractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult.Snapshot;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.Mmd;
import org.junit.jupiter.api.Test;

class AttractorProcessTest {

    static FloatMatrix standardised(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.get(i, j) / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sq[j] += Math.pow(x.get(i, j) - mean[j], 2) / n;
            }
        }
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) ((x.get(i, j) - mean[j]) / Math.sqrt(sq[j]));
            }
        }
        return new FloatMatrix(out, n, d);
    }

    @Test
    void withoutAttractionTheMomentsFollowTheOrnsteinUhlenbeckClosedForm() {
        double beta = 1.5;
        double lambda = 0.5;
        int n = 8_000;
        double[] m0 = {2.0, -1.0};
        double v0 = 0.25;
        float[] start = new float[n * 2];
        RandomSource random = new RandomSource(11);
        for (int i = 0; i < n; i++) {
            start[2 * i] = (float) (m0[0] + Math.sqrt(v0) * random.nextGaussian());
            start[2 * i + 1] = (float) (m0[1] + Math.sqrt(v0) * random.nextGaussian());
        }
        ProcessParameters params = ProcessParameters.ornsteinUhlenbeck(beta, lambda, 2.0, 200);
        AttractorProcess.Trajectory path = AttractorProcess.simulate(new FloatMatrix(start, n, 2), params, 5, 3);
        assertThat(path.snapshots()).extracting(Snapshot::t).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0);
        for (Snapshot s : path.snapshots().subList(1, 5)) {
            double decay = Math.exp(-beta * s.t());
            double variance = decay * decay * v0 + lambda / beta * (1 - decay * decay);
            double[] mean = GaussianPrior.fit(s.points()).mean();
            double[][] cov = GaussianPrior.fit(s.points()).covariance();
            double tolMean = 4 * Math.sqrt(variance / n) + 0.01 * decay * 2;
            assertThat(mean[0]).as("mean x at t=%s", s.t()).isCloseTo(decay * m0[0], within(tolMean));
            assertThat(mean[1]).as("mean y at t=%s", s.t()).isCloseTo(decay * m0[1], within(tolMean));
            assertThat(cov[0][0]).as("var x at t=%s", s.t()).isCloseTo(variance, within(0.05 * variance));
            assertThat(cov[1][1]).as("var y at t=%s", s.t()).isCloseTo(variance, within(0.05 * variance));
            assertThat(cov[0][1]).isCloseTo(0, within(0.03 * variance));
        }
    }

    @Test
    void theDefaultProcessCarriesAMixtureToTheFittedGaussianPrior() {
        FloatMatrix data = standardised(ToyDistributions.eightGaussians(2048, 5));
        ProcessParameters params = ProcessParameters.defaults();
        FloatMatrix endA = AttractorProcess.simulate(data.slice(0, 512), params, 1, 1).end();
        FloatMatrix endB = AttractorProcess.simulate(data.slice(512, 1024), params, 1, 2).end();
        GaussianPrior prior = GaussianPrior.fit(endA);
        GaussianPrior check = GaussianPrior.fit(endB);
        for (int j = 0; j < 2; j++) {
            // 512 particles: the std error of a variance estimate is ≈ 0.05, so ±0.2 is ≈ 3σ of a difference
            assertThat(check.mean()[j]).isCloseTo(prior.mean()[j], within(0.15));
            for (int k = 0; k < 2; k++) {
                assertThat(check.covariance()[j][k]).isCloseTo(prior.covariance()[j][k], within(0.2));
            }
        }
        // the end state is close to its fitted Gaussian: far closer than the data is
        FloatMatrix gaussian = prior.sample(512, new RandomSource(9));
        double endVsPrior = Mmd.mmd2(endB, gaussian);
        double dataVsPrior = Mmd.mmd2(data.slice(1024, 1536), gaussian);
        System.out.printf("attractor defaults: prior mean %s cov %s; MMD²(end, fitted prior) = %.5f,"
                + " MMD²(data, fitted prior) = %.5f, MMD²(end, N(0, λ/β I)) = %.5f%n",
                java.util.Arrays.toString(prior.mean()), java.util.Arrays.deepToString(prior.covariance()),
                endVsPrior, dataVsPrior,
                Mmd.mmd2(endB, GaussianPrior.isotropic(2, 1.0).sample(512, new RandomSource(10))));
        assertThat(endVsPrior).isLessThan(0.01).isLessThan(dataVsPrior / 10);
    }

    @Test
    void snapshotsAreValidatedAndReproducible() {
        FloatMatrix data = standardised(ToyDistributions.twoMoons(64, 1, 0.05));
        ProcessParameters params = ProcessParameters.defaults();
        AttractorProcess.Trajectory a = AttractorProcess.simulate(data, params, 3, 7);
        assertThat(a.snapshots()).hasSize(3);
        assertThat(a.snapshots().get(0).points()).isEqualTo(data);
        assertThat(AttractorProcess.simulate(data, params, 3, 7)).isEqualTo(a);
        assertThat(AttractorProcess.simulate(data, params, 3, 8).end()).isNotEqualTo(a.end());
        assertThatThrownBy(() -> AttractorProcess.simulate(data, params, 0, 7)).hasMessageContaining("snapshots");
        assertThatThrownBy(() -> new ProcessParameters(-1, 1, 1, 0.2, 4, 100, 2)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new ProcessParameters(1, 1, 1, 0, 4, 100, 2)).hasMessageContaining("delta");
        assertThatThrownBy(() -> new ProcessParameters(1, 1, 0, 0.2, 4, 100, 2)).hasMessageContaining("lambda");
    }
}
