package dev.genserve.generative.sampling;

import static dev.genserve.generative.sampling.MixtureFixture.MIXTURE;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.density.DiffusedMixture;
import dev.genserve.generative.sde.BrownianSde;
import dev.genserve.generative.sde.LinearSde;
import dev.genserve.generative.sde.OrnsteinUhlenbeckSde;
import dev.genserve.generative.sde.SubVpSde;
import dev.genserve.generative.sde.VeSde;
import dev.genserve.generative.sde.VpSde;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sampler, driven by the exact score of the diffused mixture, must turn each SDE's prior into the 2-D 3-mode
 * mixture. n = 2000 at a fixed seed: the standard error of the mean is ≈ 0.04 per coordinate and of a mode weight
 * ≈ 0.011, so the tolerances (mean 0.15, covariance 0.3 absolute on entries of size ≈ 2, weights 0.04) are ~3–4 SE
 * plus discretisation error.
 */
class SamplersOnDiffusedMixtureTest {

    private static final int N = 2000;
    private static final int STEPS = 300;

    /**
     * Brownian motion has s(t) = σ√t, so the noise-free last step from t = T/N (Song's "denoise" convention) shrinks
     * each mode by E[Var(x₀|x_h)] ≈ σ₀²s²/(σ₀² + s²); 600 steps keep that under ~11% of the within-mode spread.
     */
    private static int steps(LinearSde sde) {
        return sde instanceof BrownianSde ? 600 : STEPS;
    }

    static Stream<Arguments> cases() {
        LinearSde[] sdes = {
            new VpSde(0.1, 20),
            new SubVpSde(0.1, 20),
            new VeSde(0.01, 8, 1.0, 1e-4),
            new OrnsteinUhlenbeckSde(1.0, Math.sqrt(2.0), 6.0, 1e-3),
            new BrownianSde(3.0, 1.0, 1e-4)
        };
        ReverseSampler[] samplers = {
            new EulerMaruyamaSampler(), new ProbabilityFlowHeunSampler(), new PredictorCorrectorSampler(0.16)
        };
        return Stream.of(sdes).flatMap(sde -> Stream.of(samplers).map(s -> Arguments.of(sde.name(), s.name(), sde, s)));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("cases")
    void samplerRecoversTheMixture(String sdeName, String samplerName, LinearSde sde, ReverseSampler sampler) {
        DiffusedMixture truth = new DiffusedMixture(MIXTURE, sde);
        SampleResult result;
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomSource random = new RandomSource(42);
            NDArray start = sde.samplePrior(manager, N, 2, random);
            result = sampler.sample(sde, truth, start, steps(sde), random, 3);
        }
        FloatMatrix x = result.samples();
        assertThat(result.trajectory()).hasSize(3);
        assertThat(result.trajectory().get(2).points()).isEqualTo(x);
        double[] mean = MixtureFixture.mean(x);
        double[][] cov = MixtureFixture.covariance(x);
        double[] weights = MixtureFixture.modeWeights(MIXTURE, x);
        String stats = String.format("mean=%s cov=%s weights=%s", java.util.Arrays.toString(mean),
                java.util.Arrays.deepToString(cov), java.util.Arrays.toString(weights));
        System.out.println(sdeName + "/" + samplerName + ": " + stats);
        assertThat(MixtureFixture.maxAbs(mean, MIXTURE.mean())).as(stats).isLessThan(0.15);
        assertThat(MixtureFixture.maxAbs(cov, MIXTURE.covariance())).as(stats).isLessThan(0.3);
        assertThat(MixtureFixture.maxAbs(weights, new double[] {0.5, 0.3, 0.2})).as(stats).isLessThan(0.04);
        // within-mode spread: mean squared distance to the assigned mode centre ≈ 2σ² = 0.245
        int[] assigned = MIXTURE.assign(x);
        double spread = 0;
        for (int i = 0; i < x.rows(); i++) {
            double[] mu = MIXTURE.component(assigned[i]).mean();
            spread += (Math.pow(x.get(i, 0) - mu[0], 2) + Math.pow(x.get(i, 1) - mu[1], 2)) / x.rows();
        }
        assertThat(spread).as("within-mode spread " + stats).isBetween(0.245 * 0.75, 0.245 * 1.25);
        int n = steps(sde);
        int expectedNfe = switch (samplerName) {
            case "pf-ode-heun" -> 2 * n - 1;
            case "predictor-corrector" -> 2 * n;
            default -> n;
        };
        assertThat(result.functionEvaluations()).isEqualTo(expectedNfe);
    }
}
