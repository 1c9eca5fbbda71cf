package dev.genserve.generative.attractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import dev.genserve.generative.train.ScriptedContext;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.TrainingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attractor family on the pinwheel (five thin spiral arms) at a CI budget: it must beat the fitted Gaussian on 1-NN
 * accuracy and coverage (Kynkäänniemi recall is not used as the recall-type check: a spread-out blob scores ≈ 0.98 on
 * it), keep its quality from 20 to 500 sampling steps, and honour the Generator contract (n = 1, seeds, options,
 * trajectories, save/load, checkpoint resume).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttractorFamilyTest {

    private final AttractorFamily family = new AttractorFamily();
    private Standardizer standardizer;
    private FloatMatrix train;
    private ToyDistributions.Labeled heldOut;
    private FloatMatrix second;
    private AttractorConfig config;
    private AttractorGenerator generator;

    /**
     * The budget of the quality tests: small enough for CI on two cores (about a minute of CPU). Measured on the
     * pinwheel (2026-12-01): 700 steps gave 1-NN 0.744 against the fitted Gaussian's 0.860 (not a clear win, the
     * test failed); 1400 steps give 1-NN 0.633 and coverage 0.856 against 0.860 / 0.417, and 1-NN 0.664 / 0.617 at 20 /
     * 500 sampling steps.
     */
    static AttractorConfig ciConfig() {
        return AttractorConfig.defaults().withSimulation(50, null, 512, 300).withNetwork(64, 2, 32, null)
                .withTraining(1400, 256, 2e-3, 50, 0.995);
    }

    @BeforeAll
    void trainOnce() {
        FloatMatrix raw = ToyDistributions.pinwheel(4000, 1).points();
        standardizer = Standardizer.fit(raw);
        train = standardizer.forward(raw);
        heldOut = ToyDistributions.pinwheel(1000, 2);
        second = ToyDistributions.pinwheel(1000, 3).points();
        config = family.resolve(ciConfig(), TrainingData.of(train));
        generator = family.train(TrainingData.of(train), config, TrainingContext.simple());
    }

    @AfterAll
    void close() {
        if (generator != null) {
            generator.close();
        }
    }

    private QualityReport score(FloatMatrix standardisedSamples) {
        return QualityReport.evaluate(standardizer.inverse(standardisedSamples), heldOut.points(), heldOut.labels(),
                ToyDistributions.PINWHEEL_ARMS, second, QualitySettings.DEFAULT);
    }

    private QualityReport sampled(int steps) {
        return score(generator.sample(SampleSpec.of(1000, 3).withSampler(null, steps)).samples());
    }

    @Test
    void trainedModelBeatsTheFittedGaussianOnNearestNeighbourAccuracyAndCoverage() {
        QualityReport model = sampled(config.sampleSteps());
        QualityReport blob = score(standardizer.forward(Baselines.fittedGaussian(heldOut.points(), 1000, 4)));
        System.out.println("attractor pinwheel (CI budget): " + model.summary());
        System.out.println("fitted Gaussian:            " + blob.summary());
        assertThat(model.metric("nn1_accuracy").value()).isLessThan(blob.metric("nn1_accuracy").value() - 0.15);
        assertThat(model.metric("coverage").value()).isGreaterThan(blob.metric("coverage").value() + 0.25);
        assertThat(model.metric("mmd2_bw0.1").value()).isLessThan(blob.metric("mmd2_bw0.1").value() / 2);
    }

    @Test
    void qualityIsStableFromTwentyToFiveHundredSamplingSteps() {
        QualityReport few = sampled(20);
        QualityReport many = sampled(500);
        System.out.println("20 steps:  " + few.summary());
        System.out.println("500 steps: " + many.summary());
        assertThat(few.metric("nn1_accuracy").value()).isLessThan(many.metric("nn1_accuracy").value() + 0.08);
        assertThat(few.metric("coverage").value()).isGreaterThan(many.metric("coverage").value() - 0.12);
    }

    @Test
    void sampleOfOneWorksAndEqualSeedsGiveEqualSamples() {
        SampleResult one = generator.sample(SampleSpec.of(1, 5).withSampler(null, 10));
        assertThat(one.samples().rows()).isEqualTo(1);
        assertThat(Float.isFinite(one.samples().get(0, 0))).isTrue();
        // n below minCloud runs the minCloud cloud with the same seed and returns its first rows
        FloatMatrix three = generator.sample(SampleSpec.of(3, 5).withSampler(null, 10)).samples();
        assertThat(three.row(0)).containsExactly(one.samples().row(0));
        assertThat(generator.sample(SampleSpec.of(3, 5).withSampler(null, 10)).samples()).isEqualTo(three);
        assertThat(generator.sample(SampleSpec.of(3, 6).withSampler(null, 10)).samples()).isNotEqualTo(three);
    }

    @Test
    void trajectoriesAndOptionsAreHandled() {
        SampleResult result = generator.sample(SampleSpec.of(4, 1).withSampler("probability-flow", 20)
                .withTrajectory(3));
        assertThat(result.functionEvaluations()).isEqualTo(39); // Heun: two evaluations per step, one on the last
        assertThat(result.trajectory()).hasSize(3);
        assertThat(result.trajectory().get(0).t()).isEqualTo(config.horizon());
        assertThat(result.trajectory().get(2).t()).isEqualTo(0.0);
        assertThat(result.trajectory().get(2).points()).isEqualTo(result.samples());
        assertThat(generator.sample(SampleSpec.of(4, 1).withSampler("euler-maruyama", 7)).samples())
                .isEqualTo(generator.sample(SampleSpec.of(4, 1).withSampler("reverse-sde", 7)).samples());
        assertThat(generator.sample(SampleSpec.of(4, 1).withSampler("predictor-corrector", 5))
                .functionEvaluations()).isEqualTo(10);
        assertThatThrownBy(() -> generator.sample(SampleSpec.of(4, 1).withClass(1, null)))
                .hasMessageContaining("classLabel").hasMessageContaining("reverse-sde");
        assertThatThrownBy(() -> generator.sample(SampleSpec.of(4, 1).withClass(null, 2.0)))
                .hasMessageContaining("guidance");
        assertThatThrownBy(() -> generator.sample(SampleSpec.of(4, 1).withSampler("heun", null)))
                .hasMessageContaining("reverse-sde, probability-flow, euler-maruyama");
        assertThatThrownBy(() -> generator.sample(SampleSpec.of(4, 1).withSampler(null, 5).withTrajectory(7)))
                .hasMessageContaining("trajectory");
    }

    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws IOException {
        generator.save(dir);
        assertThat(Files.exists(dir.resolve("model.params"))).isTrue();
        assertThat(Files.exists(dir.resolve("prior.bin"))).isTrue();
        try (AttractorGenerator loaded = family.load(dir, config, Device.cpu())) {
            assertThat(loaded.prior().mean()).containsExactly(generator.prior().mean());
            SampleSpec spec = SampleSpec.of(8, 9).withSampler(null, 10);
            assertThat(loaded.sample(spec).samples()).isEqualTo(generator.sample(spec).samples());
        }
    }

    @Test
    void resolveFillsDefaultsAndNamesBadFields() {
        AttractorConfig resolved = family.resolve(null, TrainingData.of(train));
        assertThat(resolved.alpha()).isEqualTo(ProcessParameters.DEFAULT_ALPHA);
        assertThat(resolved.estimator()).isEqualTo("window");
        assertThat(resolved.windowFraction()).isEqualTo(AttractorFamily.DEFAULT_WINDOW_FRACTION);
        assertThat(resolved.dimension()).isEqualTo(2);
        TrainingData data = TrainingData.of(train);
        assertThatThrownBy(() -> family.resolve(AttractorConfig.defaults().withProcess(-1.0, null, null, null, null),
                data)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> family.resolve(AttractorConfig.defaults().withProcess(null, null, null, 0.0, null),
                data)).hasMessageContaining("delta");
        assertThatThrownBy(() -> family.resolve(AttractorConfig.defaults().withEstimator("exact", null, null), data))
                .hasMessageContaining("estimator");
        assertThatThrownBy(() -> family.resolve(AttractorConfig.defaults().withEstimator(null, 1.5, null), data))
                .hasMessageContaining("windowFraction");
        assertThatThrownBy(() -> family.resolve(AttractorConfig.defaults().withSampling("heun", null, null, null),
                data)).hasMessageContaining("sampler");
    }

    private byte[] tinyRun(Path checkpoints, int cancelAt, Path out, String estimator, boolean cv) throws IOException {
        AttractorConfig tiny = family.resolve(AttractorConfig.defaults().withProcess(null, null, null, null, 1.0)
                .withSimulation(8, null, 32, 10).withEstimator(estimator, 0.5, cv).withNetwork(16, 1, 4, null)
                .withTraining(30, 16, 1e-2, 5, 0.9).withSampling(null, null, null, 8).withSeed(4L),
                TrainingData.of(train));
        TrainingContext context = new ScriptedContext(checkpoints, 7, cancelAt);
        try (AttractorGenerator g = family.train(TrainingData.of(train), tiny, context)) {
            g.save(out);
        }
        return Files.readAllBytes(out.resolve("model.params"));
    }

    @Test
    void checkpointResumeEqualsAnUninterruptedRunForEveryEstimator(@TempDir Path dir) throws IOException {
        for (String[] e : new String[][] {{"window", "false"}, {"window", "true"}, {"sliced", "false"}}) {
            boolean cv = Boolean.parseBoolean(e[1]);
            Path root = dir.resolve(e[0] + cv);
            byte[] uninterrupted = tinyRun(null, -1, root.resolve("a"), e[0], cv);
            Path store = root.resolve("checkpoints");
            assertThatThrownBy(() -> tinyRun(store, 17, root.resolve("b"), e[0], cv))
                    .isInstanceOf(TrainingCancelledException.class);
            assertThat(tinyRun(store, -1, root.resolve("c"), e[0], cv)).as(e[0] + " cv=" + cv)
                    .isEqualTo(uninterrupted);
        }
    }
}
