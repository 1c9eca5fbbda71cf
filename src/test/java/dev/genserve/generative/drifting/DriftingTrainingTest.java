package dev.genserve.generative.drifting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.ScriptedContext;
import dev.genserve.generative.train.TrainingContext;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftingTrainingTest {

    private static final DriftingFamily FAMILY = new DriftingFamily();

    /**
     * On every hard toy (thin spiral arms, rings, the 5×5 grid of tight modes, the unequal anisotropic mixture) a
     * small-budget model must beat the Gaussian fitted to the data by a wide margin on 1-NN two-sample accuracy
     * (lower is better, 0.5 ideal) and on coverage (Naeem et al.: the share of held-out points whose k-NN ball holds
     * a sample). Coverage is the recall-type check here because Kynkäänniemi recall is inflated by spread-out
     * generators: the fitted Gaussian itself scores recall ≈ 0.98 on these toys. Absolute bars too: 1-NN ≤ 0.60 (the
     * issue's goal; measured 0.505–0.543 at this budget) and coverage ≥ 0.85 (measured 0.925–0.976, the Gaussian
     * 0.18–0.58). On the grid the model must also put mass on at least 24 of the 25 modes.
     *
     * <p>Before the default codebook generator ({@link CodebookMlp}) the rings and the grid failed this: a smooth MLP
     * filled their support uniformly (grid 1-NN ≈ 0.90 against the Gaussian's 0.93, docs/drifting.md).
     */
    @Test
    void oneStepSamplesBeatTheFittedGaussianOnEveryHardToy() {
        QualitySettings settings = QualitySettings.DEFAULT.withMaxPoints(1000);
        for (String toy : REPRODUCED_HARD_TOYS) {
            ToyDistributions.Labeled train = ToyDistributions.labeledOrEmpty(toy, 5000, 1).orElseThrow();
            ToyDistributions.Labeled held = ToyDistributions.labeledOrEmpty(toy, 1000, 2).orElseThrow();
            Standardizer standardizer = Standardizer.fit(train.points());
            TrainingData data = TrainingData.of(standardizer.forward(train.points()));
            FloatMatrix samples;
            try (DriftingGenerator g = ToyHarness.train(data, ToyHarness.small(HARD_TOY_STEPS), null)) {
                samples = standardizer.inverse(g.sample(SampleSpec.of(1000, 3)).samples());
            }
            int classes = ToyDistributions.numClasses(toy);
            QualityReport model = QualityReport.evaluate(samples, held.points(), held.labels(), classes,
                    train.points(), settings);
            QualityReport gauss = QualityReport.evaluate(Baselines.fittedGaussian(train.points(), 1000, 5),
                    held.points(), held.labels(), classes, train.points(), settings);
            System.out.printf(java.util.Locale.ROOT, "%s: 1-NN %.3f vs Gaussian %.3f; coverage %.3f vs %.3f%n", toy,
                    model.metric("nn1_accuracy").value(), gauss.metric("nn1_accuracy").value(),
                    model.metric("coverage").value(), gauss.metric("coverage").value());
            assertThat(model.metric("nn1_accuracy").value()).as(toy + " 1-NN accuracy")
                    .isLessThan(gauss.metric("nn1_accuracy").value() - 0.12)
                    .isLessThanOrEqualTo(0.60);
            assertThat(model.metric("coverage").value()).as(toy + " coverage")
                    .isGreaterThan(gauss.metric("coverage").value() + 0.2)
                    .isGreaterThanOrEqualTo(0.85);
            if (toy.equals("grid")) {
                assertThat(model.metric("modes_covered").value()).as("grid modes covered").isGreaterThanOrEqualTo(24);
            }
        }
    }

    static final int HARD_TOY_STEPS = 1000;

    /** The hard toys unconditional drifting is held to. */
    static final java.util.List<String> REPRODUCED_HARD_TOYS = ToyDistributions.HARD;

    /** Two Gaussians (σ = 0.3) at (±2, 0). */
    private static FloatMatrix bimodal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = (float) ((i % 2 == 0 ? -2 : 2) + 0.3 * r.nextGaussian());
            out[2 * i + 1] = (float) (0.3 * r.nextGaussian());
        }
        return new FloatMatrix(out, n, 2);
    }

    @Test
    void coversBothModesFromCentredFarAwayAndCollapsedStarts() {
        TrainingData data = TrainingData.of(bimodal(4000, 1));
        DriftingTrainer.OutputInit[] inits = {
            null, new DriftingTrainer.OutputInit(1f, new float[] {8f, 8f}), new DriftingTrainer.OutputInit(0f,
                    new float[] {0f, 0f})};
        String[] names = {"centred", "far away", "collapsed"};
        for (int k = 0; k < inits.length; k++) {
            try (DriftingGenerator g = ToyHarness.train(data, ToyHarness.small(800).withBatch(128, 128), inits[k])) {
                FloatMatrix s = g.sample(SampleSpec.of(2000, 9)).samples();
                int left = 0;
                int nearMode = 0;
                for (int i = 0; i < s.rows(); i++) {
                    float x = s.get(i, 0);
                    float y = s.get(i, 1);
                    left += x < 0 ? 1 : 0;
                    double dx = Math.abs(Math.abs(x) - 2);
                    nearMode += Math.hypot(dx, y) < 1.0 ? 1 : 0;
                }
                assertThat(left / 2000.0).as(names[k] + ": mass of the left mode").isBetween(0.3, 0.7);
                assertThat(nearMode / 2000.0).as(names[k] + ": mass near a mode").isGreaterThan(0.8);
            }
        }
    }

    private static int nearestCenter(float x, float y) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int k = 0; k < 8; k++) {
            double[] c = ToyDistributions.eightGaussiansCenter(k);
            double d = Math.hypot(x - c[0], y - c[1]);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    @Test
    void classConditionalModelPutsClassKNearModeKAndValidatesOptions() {
        ToyDistributions.Labeled labelled = ToyDistributions.eightGaussiansLabeled(4000, 1);
        TrainingData data = new TrainingData(labelled.points(), labelled.labels(), 8, null);
        DriftingConfig config = ToyHarness.small(400).withOptimizer(1e-3, 50, 0.99);
        DriftingConfig resolved = FAMILY.resolve(config, data);
        assertThat(resolved.conditional()).isTrue();
        assertThat(resolved.guidanceWeight()).isEqualTo(2.0);
        try (DriftingGenerator g = DriftingTrainer.train(data, resolved, TrainingContext.simple(), null)) {
            for (int k = 0; k < 8; k++) {
                for (double guidance : new double[] {1.0, 2.0}) {
                    FloatMatrix s = g.sample(SampleSpec.of(200, k).withClass(k, guidance)).samples();
                    int hits = 0;
                    for (int i = 0; i < s.rows(); i++) {
                        hits += nearestCenter(s.get(i, 0), s.get(i, 1)) == k ? 1 : 0;
                    }
                    assertThat(hits).as("class " + k + " guidance " + guidance).isGreaterThan(170);
                }
            }
            FloatMatrix all = g.sample(SampleSpec.of(800, 1)).samples(); // round-robin classes
            int[] counts = new int[8];
            for (int i = 0; i < all.rows(); i++) {
                counts[nearestCenter(all.get(i, 0), all.get(i, 1))]++;
            }
            for (int c : counts) {
                assertThat(c).isBetween(70, 130);
            }
            assertThatThrownBy(() -> g.sample(SampleSpec.of(5, 1).withClass(8, null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classLabel must be in [0, 7]");
            assertThatThrownBy(() -> g.sample(SampleSpec.of(5, 1).withClass(1, 3.0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("guidance must be in [1, 2.0]");
            assertThatThrownBy(() -> g.sample(SampleSpec.of(5, 1).withSampler("euler", 10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accepted options: n, seed");
        }
    }

    @Test
    void saveLoadRoundTripAndSeedsAreReproducible(@TempDir Path dir) throws Exception {
        TrainingData data = TrainingData.of(ToyDistributions.twoMoons(1000, 1, 0.05));
        DriftingConfig resolved = FAMILY.resolve(ToyHarness.small(30).withBatch(64, 64), data);
        try (DriftingGenerator g = DriftingTrainer.train(data, resolved, TrainingContext.simple(), null)) {
            FloatMatrix a = g.sample(SampleSpec.of(300, 5)).samples();
            assertThat(g.sample(SampleSpec.of(300, 5)).samples()).isEqualTo(a);
            assertThat(g.sample(SampleSpec.of(300, 6)).samples()).isNotEqualTo(a);
            assertThat(g.sample(SampleSpec.of(300, 5)).functionEvaluations()).isEqualTo(1);
            assertThat(g.samplers()).isEmpty();
            assertThatThrownBy(() -> g.sample(SampleSpec.of(5, 1).withClass(0, null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("classLabel");
            assertThatThrownBy(() -> g.sample(SampleSpec.of(5, 1).withSampler(null, 4)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("steps");
            g.save(dir);
            try (var loaded = FAMILY.load(dir, resolved, Device.cpu())) {
                assertThat(loaded.sample(SampleSpec.of(300, 5)).samples()).isEqualTo(a);
            }
        }
        // Retraining with the same seed is NOT asserted bitwise here: with MKL's dynamic threading on a loaded box
        // the 128-wide matmuls are not bitwise repeatable run to run (see docs/drifting.md, open problems);
        // the tiny-network resume test below is bitwise.
    }

    private static float[] trainTiny(TrainingData data, DriftingConfig resolved, Path checkpoints, int cancelAt) {
        TrainingContext context = new ScriptedContext(checkpoints, 10, cancelAt);
        try (DriftingGenerator g = DriftingTrainer.train(data, resolved, context, null)) {
            return g.sample(SampleSpec.of(64, 1)).samples().data();
        }
    }

    /**
     * Sampling leaves nothing behind on the model's own NDManager: every array of a request lives in its scope (an op
     * on a parameter alone, such as the codebook's gather, would otherwise land in the model's manager and stay until
     * the model is closed). Checked for the default codebook generator and the plain MLP.
     */
    @Test
    void samplingLeavesNoArraysOnTheModelsManager() {
        TrainingData data = TrainingData.of(ToyDistributions.eightGaussiansLabeled(400, 1).points());
        for (Integer codebook : new Integer[] {null, 0}) {
            DriftingConfig resolved = FAMILY.resolve(ToyHarness.small(3).withBatch(64, 64).withNetwork(16, 2)
                    .toBuilder().codebook(codebook).build(), data);
            try (DriftingGenerator g = DriftingTrainer.train(data, resolved, TrainingContext.simple(), null)) {
                ai.djl.ndarray.NDManager model = g.networkBlock().getParameters().valueAt(0).getArray().getManager();
                g.sample(SampleSpec.of(10, 1));
                int before = model.getManagedArrays().size();
                for (int i = 0; i < 3; i++) {
                    g.sample(SampleSpec.of(300, 2 + i));
                }
                assertThat(model.getManagedArrays()).as("codebook " + resolved.codebook()).hasSize(before);
            }
        }
    }

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun(@TempDir Path dir) {
        ToyDistributions.Labeled labelled = ToyDistributions.eightGaussiansLabeled(800, 1);
        TrainingData conditional = new TrainingData(labelled.points(), labelled.labels(), 8, null);
        TrainingData unconditional = TrainingData.of(labelled.points());
        for (TrainingData data : java.util.List.of(conditional, unconditional)) {
            DriftingConfig resolved = FAMILY.resolve(ToyHarness.small(30).withBatch(64, 64).withNetwork(32, 2),
                    data);
            assertThat(resolved.codebook()).isEqualTo(data.labelled() ? 0 : 64);
            Path checkpoints = dir.resolve(data.labelled() ? "conditional" : "codebook");
            float[] uninterrupted = trainTiny(data, resolved, null, -1);
            assertThatThrownBy(() -> trainTiny(data, resolved, checkpoints, 15))
                    .isInstanceOf(TrainingCancelledException.class);
            float[] resumed = trainTiny(data, resolved, checkpoints, -1);
            assertThat(resumed).as("resumed, codebook " + resolved.codebook()).isEqualTo(uninterrupted);
        }
    }

    /**
     * The class-conditional image paths (conv generator, patch statistics, per-location patches, guidance negatives)
     * under the GC being run and freed memory poisoned between forward and backward: the model must be exactly the
     * undisturbed one (BackwardReadsNoFreedMemoryTest covers the unconditional MLP of every family).
     */
    @Test
    void conditionalImageTrainingNeverReadsMemoryTheGarbageCollectorFreed() {
        int[] labels = new int[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        TrainingData images = new TrainingData(ToyDistributions.standardGaussian(300, 64, 1), labels, 3,
                new int[] {1, 8, 8});
        DriftingConfig resolved = FAMILY.resolve(ToyHarness.small(4).withBatch(24, 24).withNetwork(64, 2)
                .withArchitecture("conv", java.util.List.of("identity", "patch-stats", "patches")), images);
        FloatMatrix[] out = new FloatMatrix[2];
        TrainingContext[] contexts = {TrainingContext.simple(),
            new dev.genserve.generative.train.HostileGarbageCollection()};
        for (int k = 0; k < 2; k++) {
            try (DriftingGenerator g = DriftingTrainer.train(images, resolved, contexts[k], null)) {
                out[k] = g.sample(SampleSpec.of(12, 1).withClass(1, 1.5)).samples();
            }
        }
        assertThat(out[1]).isEqualTo(out[0]);
    }

    @Test
    void resolveFillsDefaultsAndRejectsBadFields() {
        TrainingData vectors = TrainingData.of(ToyDistributions.twoMoons(100, 1, 0.05));
        DriftingConfig r = FAMILY.resolve(null, vectors);
        assertThat(r.hidden()).as("the MLP under the default codebook").isEqualTo(128);
        assertThat(FAMILY.resolve(DriftingConfig.defaults().toBuilder().codebook(0).build(), vectors).hidden())
                .isEqualTo(256);
        assertThat(r.depth()).isEqualTo(3);
        assertThat(r.noiseDim()).isEqualTo(16);
        assertThat(r.temperatures()).containsExactly(0.02, 0.05, 0.2);
        assertThat(r.positives()).isEqualTo(1024);
        assertThat(r.generated()).isEqualTo(1024);
        assertThat(r.steps()).isEqualTo(2000);
        assertThat(r.architecture()).isEqualTo("mlp");
        assertThat(r.featureMaps()).containsExactly("identity");
        assertThat(r.conditional()).isFalse();
        assertThat(r.dimension()).isEqualTo(2);
        assertThat(FAMILY.id()).isEqualTo("drifting");
        assertThat(FAMILY.totalSteps(r)).isEqualTo(2000);
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().withNetwork(0, 3), vectors))
                .hasMessageContaining("hidden must be in [2, 8192]");
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().withArchitecture("conv", null), vectors))
                .hasMessageContaining("architecture 'conv' needs image data");
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().withGuidance(true, null), vectors))
                .hasMessageContaining("conditional");
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().withArchitecture(null,
                java.util.List.of("sift")), vectors)).hasMessageContaining("featureMaps");
        assertThat(r.noiseCodes()).isZero();
        assertThat(r.codebook()).as("unconditional 2-D data get a codebook, one code per generated row")
                .isEqualTo(1024);
        assertThat(FAMILY.resolve(DriftingConfig.defaults().toBuilder().generated(100).build(), vectors).codebook())
                .isEqualTo(100);
        assertThat(FAMILY.resolve(DriftingConfig.defaults().toBuilder().generated(4096).build(), vectors).codebook())
                .as("at most 1024").isEqualTo(1024);
        assertThat(FAMILY.resolve(DriftingConfig.defaults().toBuilder().noiseCodes(25).build(), vectors).codebook())
                .isZero();
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().toBuilder().noiseCodes(4).codebook(8)
                .build(), vectors)).hasMessageContaining("codebook and noiseCodes are exclusive");
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().toBuilder().codebook(1025).build(),
                vectors)).hasMessageContaining("codebook must be in [0, 1024]");
        int[] labels = new int[100];
        labels[0] = 1;
        TrainingData labelled = new TrainingData(ToyDistributions.twoMoons(100, 1, 0.05), labels, 2, null);
        assertThat(FAMILY.resolve(null, labelled).codebook()).as("class-conditional: no codebook").isZero();
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().toBuilder().codebook(8).build(), labelled))
                .hasMessageContaining("codebook applies to unconditional models");
        assertThat(FAMILY.resolve(DriftingConfig.defaults().toBuilder().noiseCodes(25).build(), vectors).noiseCodes())
                .isEqualTo(25);
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().toBuilder().noiseCodes(4).noiseDim(1)
                .build(), vectors)).hasMessageContaining("noiseCodes needs the mlp architecture and noiseDim ≥ 2");
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().toBuilder().noiseCodes(-1).build(),
                vectors)).hasMessageContaining("noiseCodes");

        TrainingData images = new TrainingData(ToyDistributions.standardGaussian(20, 64, 1), null, 0,
                new int[] {1, 8, 8});
        DriftingConfig img = FAMILY.resolve(null, images);
        assertThat(img.architecture()).isEqualTo("conv");
        assertThat(img.featureMaps()).containsExactly("identity", "patch-stats");
        assertThat(img.imageShape()).containsExactly(1, 8, 8);
        assertThat(img.codebook()).as("no codebook for images").isZero();
        assertThatThrownBy(() -> FAMILY.resolve(DriftingConfig.defaults().toBuilder().noiseCodes(4).build(), images))
                .hasMessageContaining("noiseCodes needs the mlp architecture");
    }

    @Test
    void convGeneratorWithPatchStatisticsTrainsAndSamplesImages() {
        TrainingData images = new TrainingData(ToyDistributions.standardGaussian(200, 64, 1), null, 0,
                new int[] {1, 8, 8});
        DriftingConfig resolved = FAMILY.resolve(ToyHarness.small(5).withBatch(32, 32).withNetwork(64, 2), images);
        try (DriftingGenerator g = DriftingTrainer.train(images, resolved, TrainingContext.simple(), null)) {
            FloatMatrix s = g.sample(SampleSpec.of(10, 1)).samples();
            assertThat(s.cols()).isEqualTo(64);
            for (float v : s.data()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    /**
     * Bounded data: images whose values all lie in [5, 5.1] (far from where a barely trained generator puts its
     * output, ≈ 0) come back inside that range by default, and the resolved config (the manifest's record) says so;
     * with {@code clampOutput} false the same model returns values outside it, so the check can fail.
     */
    @Test
    void imageSamplesAreClampedToTheDataRangeAndTheConfigRecordsIt() {
        SplittableRandom r = new SplittableRandom(3);
        float[] values = new float[100 * 64];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (5 + 0.1 * r.nextDouble());
        }
        TrainingData images = new TrainingData(new FloatMatrix(values, 100, 64), null, 0, new int[] {1, 8, 8});
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        DriftingConfig base = ToyHarness.small(2).withBatch(16, 16).withNetwork(32, 2);
        DriftingConfig clamped = FAMILY.resolve(base, images);
        assertThat(clamped.clampOutput()).isTrue();
        assertThat(clamped.dataRange()).containsExactly((double) lo, (double) hi);
        try (DriftingGenerator g = DriftingTrainer.train(images, clamped, TrainingContext.simple(), null)) {
            for (float v : g.sample(SampleSpec.of(20, 1)).samples().data()) {
                assertThat(v).isBetween(lo, hi);
            }
        }
        DriftingConfig free = FAMILY.resolve(base.toBuilder().clampOutput(false).build(), images);
        assertThat(free.clampOutput()).isFalse();
        try (DriftingGenerator g = DriftingTrainer.train(images, free, TrainingContext.simple(), null)) {
            float min = Float.MAX_VALUE;
            for (float v : g.sample(SampleSpec.of(20, 1)).samples().data()) {
                min = Math.min(min, v);
            }
            assertThat(min).as("an unclamped, barely trained generator").isLessThan(lo);
        }
    }
}
