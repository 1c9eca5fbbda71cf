package dev.genserve.generative.attractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.Mmd;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.ScriptedContext;
import dev.genserve.generative.train.TrainingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttractorFamilyTest {

    /** Eight Gaussians (radius 2, std 0.2) divided by their per-axis standard deviation √2.04. */
    static final double SCALE = Math.sqrt(2.04);

    private final AttractorFamily family = new AttractorFamily();
    private FloatMatrix train;
    private FloatMatrix heldOut;
    private AttractorConfig config;
    private AttractorGenerator generator;

    static FloatMatrix scaled(FloatMatrix raw) {
        float[] d = raw.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] /= (float) SCALE;
        }
        return new FloatMatrix(d, raw.rows(), raw.cols());
    }

    /** The budget of the quality test: small enough for the shared 2-core machine. */
    static AttractorConfig toyConfig(int steps, int hidden, int cloud, int simulationSteps) {
        return new AttractorConfig(null, null, null, null, null, simulationSteps, null, cloud, 0, 1, hidden, 3, 32,
                steps, 256, 2e-3, 100, 0.995, null, null, 0L, 256, null, null, null);
    }

    @BeforeAll
    void trainOnce() {
        FloatMatrix data = scaled(ToyDistributions.eightGaussians(3000, 1));
        train = data.slice(0, 2000);
        heldOut = data.slice(2000, 3000);
        config = family.resolve(toyConfig(TOY_STEPS, 64, 512, 50), TrainingData.of(train));
        generator = family.train(TrainingData.of(train), config, TrainingContext.simple());
    }

    static final int TOY_STEPS = 1200;

    @AfterAll
    void close() {
        if (generator != null) {
            generator.close();
        }
    }

    @Test
    void trainedGeneratorBeatsBlurredAndModeDroppedBaselines() {
        double sde = Mmd.mmd2(generator.sample(SampleSpec.of(1000, 3)).samples(), heldOut);
        double flow = Mmd.mmd2(generator.sample(SampleSpec.of(1000, 3).withSampler("probability-flow", null))
                .samples(), heldOut);
        double blurredHalf = Mmd.mmd2(scaled(Baselines.blurred(ToyDistributions.eightGaussians(1000, 7), 0.5, 4)),
                heldOut);
        double blurred = Mmd.mmd2(scaled(Baselines.blurred(ToyDistributions.eightGaussians(1000, 7), 1.0, 4)),
                heldOut);
        double dropped = Mmd.mmd2(scaled(Baselines.modeDropped(1000, 5, 0, 1)), heldOut);
        System.out.printf("attractor toy: MMD² reverse-sde %.5f, probability-flow %.5f, blurred(σ=0.5) %.5f,"
                + " blurred(σ=1.0) %.5f, two modes dropped %.5f%n", sde, flow, blurredHalf, blurred, dropped);
        // At this test budget (1200 steps, MLP 3×64) the model does NOT beat a σ = 0.5 blur; see docs/attractor.md.
        assertThat(sde).isLessThan(dropped / 2);
        assertThat(flow).isLessThan(blurred).isLessThan(dropped / 2);
    }

    @Test
    void sampleOfOneWorksAndEqualSeedsGiveEqualSamples() {
        SampleResult one = generator.sample(SampleSpec.of(1, 5));
        assertThat(one.samples().rows()).isEqualTo(1);
        assertThat(Float.isFinite(one.samples().get(0, 0))).isTrue();
        // n below minCloud runs the minCloud cloud with the same seed and returns its first rows
        FloatMatrix three = generator.sample(SampleSpec.of(3, 5)).samples();
        assertThat(three.row(0)).containsExactly(one.samples().row(0));
        assertThat(generator.sample(SampleSpec.of(3, 5)).samples()).isEqualTo(three);
        assertThat(generator.sample(SampleSpec.of(3, 6)).samples()).isNotEqualTo(three);
    }

    @Test
    void trajectoriesAndOptionsAreHandled() {
        SampleResult result = generator.sample(SampleSpec.of(4, 1).withSampler("probability-flow", 20)
                .withTrajectory(3));
        assertThat(result.functionEvaluations()).isEqualTo(20);
        assertThat(result.trajectory()).hasSize(3);
        assertThat(result.trajectory().get(0).t()).isEqualTo(config.horizon());
        assertThat(result.trajectory().get(2).t()).isEqualTo(0.0);
        assertThat(result.trajectory().get(2).points()).isEqualTo(result.samples());
        assertThatThrownBy(() -> generator.sample(SampleSpec.of(4, 1).withClass(1, null)))
                .hasMessageContaining("classLabel").hasMessageContaining("reverse-sde");
        assertThatThrownBy(() -> generator.sample(SampleSpec.of(4, 1).withClass(null, 2.0)))
                .hasMessageContaining("guidance");
        assertThatThrownBy(() -> generator.sample(SampleSpec.of(4, 1).withSampler("heun", null)))
                .hasMessageContaining("reverse-sde, probability-flow");
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
        assertThat(resolved.alpha()).isEqualTo(1.0);
        assertThat(resolved.hidden()).isEqualTo(256);
        assertThat(resolved.dimension()).isEqualTo(2);
        assertThatThrownBy(() -> family.resolve(withAlpha(-1.0), TrainingData.of(train)))
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> family.resolve(new AttractorConfig(null, null, null, 0.0, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                TrainingData.of(train))).hasMessageContaining("delta");
        assertThatThrownBy(() -> family.resolve(AttractorConfig.defaults().withNoiseDraws(0), TrainingData.of(train)))
                .hasMessageContaining("noiseDraws");
    }

    private static AttractorConfig withAlpha(Double alpha) {
        return new AttractorConfig(alpha, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    private byte[] tinyRun(Path checkpoints, int cancelAt, Path out) throws IOException {
        AttractorConfig tiny = family.resolve(new AttractorConfig(null, null, null, null, 1.0, 8, null, 32, 10, 2, 16,
                1, 8, 30, 16, 1e-2, 5, 0.9, null, null, 4L, 8, null, null, null), TrainingData.of(train));
        TrainingContext context = new ScriptedContext(checkpoints, 7, cancelAt);
        try (AttractorGenerator g = family.train(TrainingData.of(train), tiny, context)) {
            g.save(out);
        }
        return Files.readAllBytes(out.resolve("model.params"));
    }

    @Test
    void checkpointResumeEqualsAnUninterruptedRun(@TempDir Path dir) throws IOException {
        byte[] uninterrupted = tinyRun(null, -1, dir.resolve("a"));
        Path store = dir.resolve("checkpoints");
        assertThatThrownBy(() -> tinyRun(store, 17, dir.resolve("b"))).isInstanceOf(TrainingCancelledException.class);
        assertThat(tinyRun(store, -1, dir.resolve("c"))).isEqualTo(uninterrupted);
    }
}
