package dev.genserve.generative.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import dev.genserve.generative.train.TrainingContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default score network (residual FiLM MLP on Fourier features, EDM) on each hard toy at a CI-sized budget
 * (400 steps, batch 256, PF-ODE Heun 50) must beat the fitted-Gaussian baseline by a clear margin on 1-NN two-sample
 * accuracy (at least 0.1 lower) and on coverage (at least 0.15 higher; coverage, not Kynkäänniemi recall, because a
 * spread-out blob reaches a recall of about 0.98), and throw no sample beyond 1.5× the data's largest radius. A
 * model that learned a blob scores like the baseline and fails.
 */
class HardToyQualityTest {

    @ParameterizedTest
    @ValueSource(strings = {"pinwheel", "rings", "grid", "unequal-mixture"})
    void beatsTheFittedGaussianOnOneNnAndCoverage(String toy) {
        FloatMatrix train = ToyDistributions.byName(toy, 6000, 1L);
        FloatMatrix held = ToyDistributions.byName(toy, 1500, 2L);
        Standardizer standardizer = Standardizer.fit(train);
        TrainingData data = TrainingData.of(standardizer.forward(train));
        DiffusionFamily family = new DiffusionFamily();
        DiffusionConfig config = family.resolve(DiffusionConfig.defaults().withTraining(400, 256, 2e-3, 1L)
                .withEma(0.99, 50).withSampling("pf-ode-heun", 50), data);
        QualitySettings settings = QualitySettings.DEFAULT.withMaxPoints(1500);
        try (DiffusionGenerator g = family.train(data, config, TrainingContext.simple())) {
            FloatMatrix z = g.sample(SampleSpec.of(1500, 3L)).samples();
            QualityReport model = QualityReport.evaluate(standardizer.inverse(z), held, null, 0, train, settings);
            QualityReport blob = QualityReport.evaluate(Baselines.fittedGaussian(train, 1500, 4L), held, null, 0,
                    train, settings);
            double nn1 = model.metric("nn1_accuracy").value();
            double coverage = model.metric("coverage").value();
            double blobNn1 = blob.metric("nn1_accuracy").value();
            double blobCoverage = blob.metric("coverage").value();
            System.out.printf("%s (400 steps): 1-NN %.3f vs fitted Gaussian %.3f; coverage %.3f vs %.3f; "
                    + "mmd2_bw0.1 ratio %.2f vs %.2f%n", toy, nn1, blobNn1, coverage, blobCoverage,
                    model.metric("mmd2_bw0.1").ratio(), blob.metric("mmd2_bw0.1").ratio());
            assertThat(nn1).as(toy + " 1-NN accuracy").isLessThan(blobNn1 - 0.1);
            assertThat(coverage).as(toy + " coverage").isGreaterThan(blobCoverage + 0.15);
            assertThat(DiffusionFamily.largestNorm(z)).as(toy + " largest sample norm")
                    .isLessThan(1.5 * config.dataRadius());
        }
    }
}
