package dev.genserve.generative.drifting;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.train.TrainingLoop;

final class StepTiming {
    public static void main(String[] a) {
        TrainingData data = TrainingData.of(ToyDistributions.eightGaussians(5000, 1));
        DriftingConfig c = new DriftingFamily().resolve(ToyHarness.small(100), data);
        try (NDManager m = NDManager.newBaseManager()) {
            DriftingNetwork net = DriftingGenerator.network(c);
            Networks.initialize(net.block(), m, 0, net.inputShapes());
            TrainingLoop.LossFunction lf = DriftingTrainer.lossFunction(data, c, net);
            ParameterStore ps = new ParameterStore(m, false);
            for (int r = 0; r < 8; r++) {
                try (NDManager s = m.newSubManager()) {
                    long t0 = System.nanoTime();
                    NDArray noise = new RandomSource(r).normal(s, new Shape(512, c.noiseDim()));
                    long t1;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray x = net.generate(ps, noise, null, true);
                        x.sum().getFloat();
                        t1 = System.nanoTime();
                        NDArray l = lf.loss(s, ps, r, new RandomSource(r));
                        l.getFloat();
                        long t2 = System.nanoTime();
                        gc.backward(l);
                        long t3 = System.nanoTime();
                        System.out.printf("fwd %.1f loss(all) %.1f backward %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
                    }
                }
            }
        }
    }
}
