package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.data.ToyDistributions;

final class FieldTiming {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            DriftField f = new DriftField(DriftingFamily.DEFAULT_TEMPERATURES);
            NDArray x = ToyDistributions.standardGaussian(n, 2, 1).toNd(m);
            NDArray y = ToyDistributions.standardGaussian(n, 2, 2).toNd(m);
            for (int r = 0; r < 10; r++) {
                long t0 = System.nanoTime();
                try (NDManager s = m.newSubManager(); ai.djl.training.GradientCollector gc = r % 2 == 0 ? ai.djl.engine.Engine.getInstance().newGradientCollector() : null) {
                    NDArray xs = x.duplicate(); xs.attach(s);
                    f.compute(xs, y, null, 0).drift().toFloatArray();
                }
                System.out.printf("field %d collector=%s: %.1f ms%n", n, r % 2 == 0, (System.nanoTime() - t0) / 1e6);
            }
        }
    }
}
