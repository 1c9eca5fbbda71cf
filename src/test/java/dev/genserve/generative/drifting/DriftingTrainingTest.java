package dev.genserve.generative.drifting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.Mmd;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.ScriptedContext;
import dev.genserve.generative.train.TrainingContext;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftingTrainingTest {

    private static final DriftingFamily FAMILY = new DriftingFamily();

    private static double mmdOfModel(String toy, int steps) {
        TrainingData data = TrainingData.of(ToyDistributions.byName(toy, 5000, 1));
        try (DriftingGenerator g = ToyHarness.train(data, ToyHarness.small(steps), null)) {
            return Mmd.mmd2(g.sample(SampleSpec.of(2000, 3)).samples(), ToyDistributions.byName(toy, 2000, 2));
        }
    }

    @Test
    void oneStepSamplesBeatBlurredAndModeDroppedBaselinesOnToys() {
        FloatMatrix held8 = ToyDistributions.eightGaussians(2000, 2);
        double eight = mmdOfModel("eight-gaussians", 700);
        assertThat(eight).isLessThan(Mmd.mmd2(Baselines.blurred(ToyDistributions.eightGaussians(2000, 4), 0.5, 5),
                held8));
        assertThat(eight).isLessThan(Mmd.mmd2(Baselines.modeDropped(2000, 4, 1, 2, 6), held8));
        for (String toy : new String[] {"checkerboard", "swiss-roll"}) {
            FloatMatrix held = ToyDistributions.byName(toy, 2000, 2);
            double blurred = Mmd.mmd2(Baselines.blurred(ToyDistributions.byName(toy, 2000, 4), 0.5, 5), held);
            assertThat(mmdOfModel(toy, 700)).as(toy).isLessThan(blurred);
        }
    }

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

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun(@TempDir Path dir) {
        ToyDistributions.Labeled labelled = ToyDistributions.eightGaussiansLabeled(800, 1);
        TrainingData data = new TrainingData(labelled.points(), labelled.labels(), 8, null);
        DriftingConfig resolved = FAMILY.resolve(ToyHarness.small(30).withBatch(64, 64).withNetwork(32, 2), data);
        float[] uninterrupted = trainTiny(data, resolved, null, -1);
        assertThatThrownBy(() -> trainTiny(data, resolved, dir, 15)).isInstanceOf(TrainingCancelledException.class);
        float[] resumed = trainTiny(data, resolved, dir, -1);
        assertThat(resumed).isEqualTo(uninterrupted);
    }

    /**
     * Regression test for the sporadic non-finite gradients: DJL's scalar-operand ops (mul/div/maximum by a Number,
     * Activation.swish) built a tensor aliasing a temporary Java direct buffer, closed it at once and left it in the
     * autograd graph, so the backward read freed memory whenever the GC ran between forward and backward. Here the GC
     * runs at every step and freed small buffers are refilled with NaN: every update must still be taken, and the
     * weights must equal those of an undisturbed run bit for bit.
     */
    @Test
    void backwardNeverReadsMemoryTheGarbageCollectorFreed() {
        TrainingData data = TrainingData.of(ToyDistributions.eightGaussians(800, 1));
        DriftingConfig c = FAMILY.resolve(ToyHarness.small(12).withBatch(64, 64).withNetwork(32, 2), data);
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            boolean hostile = run == 1;
            try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
                DriftingNetwork net = DriftingGenerator.network(c);
                dev.genserve.generative.nn.Networks.initialize(net.block(), manager, c.seed(), net.inputShapes());
                dev.genserve.generative.train.TrainingLoop.LossFunction plain = DriftingTrainer.lossFunction(data, c,
                        net);
                java.util.List<java.nio.ByteBuffer> junk = new java.util.ArrayList<>();
                dev.genserve.generative.train.TrainingLoop.LossFunction loss = (scope, store, step, random) -> {
                    ai.djl.ndarray.NDArray l = plain.loss(scope, store, step, random);
                    if (hostile) {
                        System.gc();
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        for (int i = 0; i < 2000; i++) {
                            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(4)
                                    .order(java.nio.ByteOrder.nativeOrder());
                            b.putFloat(0, Float.NaN);
                            junk.add(b);
                        }
                    }
                    return l;
                };
                var settings = new dev.genserve.generative.train.OptimizerSettings(c.steps(), c.learningRate(),
                        c.warmupSteps(), c.cosineDecay(), c.weightDecay(), c.gradientClip(), c.emaDecay(), c.seed());
                var result = dev.genserve.generative.train.TrainingLoop.run(net.block(), manager, settings, loss,
                        TrainingContext.simple());
                assertThat(result.skippedSteps()).as("updates skipped for non-finite gradients").isZero();
                weights[run] = dev.genserve.generative.nn.Networks.parameterArrays(net.block()).get(0).toFloatArray();
            }
        }
        assertThat(weights[1]).isEqualTo(weights[0]);
    }

    @Test
    void resolveFillsDefaultsAndRejectsBadFields() {
        TrainingData vectors = TrainingData.of(ToyDistributions.twoMoons(100, 1, 0.05));
        DriftingConfig r = FAMILY.resolve(null, vectors);
        assertThat(r.hidden()).isEqualTo(256);
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

        TrainingData images = new TrainingData(ToyDistributions.standardGaussian(20, 64, 1), null, 0,
                new int[] {1, 8, 8});
        DriftingConfig img = FAMILY.resolve(null, images);
        assertThat(img.architecture()).isEqualTo("conv");
        assertThat(img.featureMaps()).containsExactly("identity", "patch-stats");
        assertThat(img.imageShape()).containsExactly(1, 8, 8);
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
}
