package dev.genserve.generative.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.density.GaussianDensity;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.train.TrainingContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The EDM-preconditioned denoiser against the analytic optimal denoiser of a Gaussian mixture,
 * D*(x; σ) = x + σ² ∇log p_σ(x) with p_σ the mixture with covariances Σ_k + σ²I, at σ = 0.1, 0.3, 1 and 3; the
 * preconditioning coefficients at known values; and the denoiser guard.
 */
class PreconditionedDenoiserTest {

    /** Three anisotropic components with about unit overall variance (the family trains on standardised data). */
    static final GaussianMixture MIXTURE = new GaussianMixture(new double[] {0.5, 0.3, 0.2}, List.of(
            new GaussianDensity(new double[] {-1.0, -0.6}, new double[][] {{0.09, 0.03}, {0.03, 0.04}}),
            new GaussianDensity(new double[] {1.2, 0.0}, new double[][] {{0.04, 0}, {0, 0.16}}),
            new GaussianDensity(new double[] {0.0, 1.4}, new double[][] {{0.25, 0}, {0, 0.01}})));

    static GaussianMixture noised(GaussianMixture mixture, double sigma) {
        List<GaussianDensity> comps = new ArrayList<>();
        double[] w = new double[mixture.size()];
        for (int k = 0; k < mixture.size(); k++) {
            w[k] = mixture.weight(k);
            double[][] cov = mixture.component(k).covariance();
            for (int i = 0; i < cov.length; i++) {
                cov[i][i] += sigma * sigma;
            }
            comps.add(new GaussianDensity(mixture.component(k).mean(), cov));
        }
        return new GaussianMixture(w, comps);
    }

    @Test
    void coefficientsMatchKarrasTable1() {
        EdmPreconditioning edm = new EdmPreconditioning(0.5, -1.2, 1.2);
        assertThat(edm.skip(0.5)).isCloseTo(0.5, within(1e-12));
        assertThat(edm.out(0.5)).isCloseTo(0.25 / Math.sqrt(0.5), within(1e-12));
        assertThat(edm.in(0.5)).isCloseTo(1 / Math.sqrt(0.5), within(1e-12));
        // unit-variance target: Var(x₀ − c_skip(x₀ + σz)) = (1 − c_skip)² σ_d² + c_skip² σ² = c_out²
        for (double s : new double[] {0.01, 0.3, 2, 80}) {
            double target = Math.pow((1 - edm.skip(s)) * 0.5, 2) + Math.pow(edm.skip(s) * s, 2);
            assertThat(target).isCloseTo(Math.pow(edm.out(s), 2), within(1e-9 * Math.max(1, s * s)));
        }
        assertThat(EdmPreconditioning.noiseLevel(1e-3)).isCloseTo(0, within(1e-12));
        assertThat(EdmPreconditioning.noiseLevel(1e3)).isCloseTo(1, within(1e-12));
        assertThat(edm.sigma(0)).isCloseTo(Math.exp(-1.2), within(1e-12));
    }

    @Test
    void trainedDenoiserMatchesTheOptimalDenoiserAtSeveralNoiseLevels() {
        FloatMatrix data = MIXTURE.sample(6000, new RandomSource(1));
        DiffusionFamily family = new DiffusionFamily();
        DiffusionConfig config = family.resolve(DiffusionConfig.defaults().withNetwork(64, 2)
                .withTraining(1200, 256, 3e-3, 5L).withEma(0.99, 100), TrainingData.of(data));
        assertThat(config.preconditioning()).isEqualTo("edm");
        assertThat(config.architecture()).isEqualTo("resmlp");
        try (DiffusionGenerator g = family.train(TrainingData.of(data), config, TrainingContext.simple());
                NDManager m = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(m, false);
            double[] sigmas = {0.1, 0.3, 1.0, 3.0};
            double[] errors = new double[sigmas.length];
            for (int level = 0; level < sigmas.length; level++) {
                double sigma = sigmas[level];
                GaussianMixture p = noised(MIXTURE, sigma);
                FloatMatrix x = p.sample(2000, new RandomSource(7));
                NDArray xs = x.toNd(m);
                float[] exact = xs.add(p.score(xs, 0).mul((float) (sigma * sigma))).toFloatArray();
                float[] learned = g.network().guard(g.network().denoise(store, xs, sigma, null)).toFloatArray();
                float[] raw = x.data();
                double err = 0;
                double removed = 0;
                for (int i = 0; i < exact.length; i++) {
                    err += Math.pow(learned[i] - exact[i], 2);
                    removed += Math.pow(raw[i] - exact[i], 2);
                }
                double relative = Math.sqrt(err / removed);
                System.out.printf("EDM denoiser at σ=%.2f: RMS error / RMS ‖x − D*‖ = %.4f%n", sigma, relative);
                errors[level] = relative;
            }
            // σ = 0.1 is below most of the training noise (P(σ < 0.1) ≈ 0.18 under ln σ ~ N(−1.2, 1.2²)) and the
            // relative error there measures F's error on a displacement of only ~σ: a looser bound
            assertThat(errors[0]).as("relative denoiser error at σ = 0.1").isLessThan(0.2);
            for (int level = 1; level < sigmas.length; level++) {
                assertThat(errors[level]).as("relative denoiser error at σ=" + sigmas[level]).isLessThan(0.15);
            }
        }
    }

    /**
     * A network sabotaged to throw its denoiser far out (output layer × 1000) still samples inside 1.5× the data's
     * largest radius: the guard projects the denoiser onto the data ball.
     */
    @Test
    void guardKeepsASabotagedNetworkInsideTheDataBall() {
        FloatMatrix data = MIXTURE.sample(2000, new RandomSource(2));
        DiffusionFamily family = new DiffusionFamily();
        DiffusionConfig config = family.resolve(DiffusionConfig.defaults().withNetwork(32, 1)
                .withTraining(30, 64, 1e-3, 1L).withSampling("euler-maruyama", 100), TrainingData.of(data));
        try (DiffusionGenerator g = family.train(TrainingData.of(data), config, TrainingContext.simple());
                NDManager m = NDManager.newBaseManager()) {
            for (var entry : g.network().block().getParameters()) {
                if (entry.getKey().contains("output")) { // DJL prefixes child names with their index
                    NDArray w = entry.getValue().getArray();
                    Networks.assign(w, w.add(0.05f).mul(1000f).toFloatArray());
                }
            }
            ParameterStore store = new ParameterStore(m, false);
            NDArray probe = MIXTURE.sample(500, new RandomSource(3)).toNd(m);
            double rawMax = g.network().denoise(store, probe, 2.0, null).norm(new int[] {1}).max().getFloat();
            double radius = config.dataRadius();
            assertThat(rawMax).as("the sabotaged denoiser leaves the ball").isGreaterThan(10 * radius);
            FloatMatrix samples = g.sample(SampleSpec.of(1000, 4L)).samples();
            for (String sampler : new String[] {"euler-maruyama", "pf-ode-heun", "predictor-corrector"}) {
                FloatMatrix s = sampler.equals("euler-maruyama") ? samples
                        : g.sample(SampleSpec.of(1000, 4L).withSampler(sampler, 50)).samples();
                double largest = DiffusionFamily.largestNorm(s);
                assertThat(largest).as(sampler + ": largest sample norm vs 1.5 × data radius " + radius)
                        .isLessThan(1.5 * radius);
            }
        }
    }
}
