package dev.genserve.generative.drifting;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.Mmd;
import dev.genserve.generative.train.TrainingContext;

/** Test helpers: train a small drifting model on a 2-D toy and measure it. */
final class ToyHarness {

    private ToyHarness() {}

    static DriftingConfig small(int steps) {
        return DriftingConfig.defaults().withSteps(steps).withNetwork(128, 3).withBatch(256, 256)
                .withOptimizer(2e-3, 50, 0.99);
    }

    static DriftingGenerator train(TrainingData data, DriftingConfig config, DriftingTrainer.OutputInit init) {
        DriftingConfig resolved = new DriftingFamily().resolve(config, data);
        return DriftingTrainer.train(data, resolved, TrainingContext.simple(), init);
    }

    static TrainingContext printing() {
        return new TrainingContext() {
            @Override
            public void report(dev.genserve.generative.train.TrainingProgress p) {
                if (p.step() % 50 == 0) {
                    System.out.printf("  step %d loss %.4f ema %.4f %.1f steps/s%n", p.step(), p.loss(), p.emaLoss(),
                            p.stepsPerSecond());
                }
            }

            @Override
            public boolean cancelRequested() {
                return false;
            }

            @Override
            public java.util.Optional<dev.genserve.generative.train.CheckpointStore> checkpoints() {
                return java.util.Optional.empty();
            }
        };
    }

    public static void main(String[] args) {
        int steps = Integer.parseInt(args.length > 0 ? args[0] : "600");
        for (String name : new String[] {"eight-gaussians", "checkerboard", "swiss-roll"}) {
            FloatMatrix train = ToyDistributions.byName(name, 5000, 1);
            FloatMatrix held = ToyDistributions.byName(name, 2000, 2);
            long t0 = System.nanoTime();
            TrainingData data = TrainingData.of(train);
            try (DriftingGenerator g = DriftingTrainer.train(data, new DriftingFamily().resolve(small(steps), data),
                    printing(), null)) {
                double secs = (System.nanoTime() - t0) / 1e9;
                FloatMatrix s = g.sample(SampleSpec.of(2000, 3)).samples();
                double mmd = Mmd.mmd2(s, held);
                double blur = Mmd.mmd2(Baselines.blurred(ToyDistributions.byName(name, 2000, 4), 0.3, 5), held);
                double blur5 = Mmd.mmd2(Baselines.blurred(ToyDistributions.byName(name, 2000, 4), 0.5, 5), held);
                System.out.printf("blur0.5=%.5f ", blur5);
                System.out.printf("%s steps=%d %.1fs mmd=%.5f blurred0.3=%.5f%n", name, steps, secs, mmd, blur);
            }
        }
    }
}
