package dev.genserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.RandomSource;
import java.util.Locale;

/** Section 1: the fp32 matmul ceiling through DJL and the per-op dispatch cost (a 1×1 add). */
final class HardwareSection extends BenchSection {

    HardwareSection(BenchContext context) {
        super(context);
    }

    /** Runs the section and returns the matmul ceiling in GFLOP/s. */
    double run() {
        int n = 2048;
        int repeats = settings.quick() ? 5 : 9;
        double[] gflops = new double[repeats];
        try (NDManager m = NDManager.newBaseManager()) {
            RandomSource random = new RandomSource(1);
            NDArray a = random.normal(m, new Shape(n, n));
            NDArray b = random.normal(m, new Shape(n, n));
            for (int w = 0; w < 2; w++) {
                a.matMul(b).close();
            }
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0);
                double s = (System.nanoTime() - t0) / 1e9;
                c.close();
                gflops[r] = 2.0 * n * n * n / s / 1e9;
            }
        }
        Stats matmul = Stats.of(gflops);

        int ops = 2000;
        double[] microsPerOp = new double[Math.max(settings.repeats(), 5)];
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f}, new Shape(1, 1));
            NDArray y = m.create(new float[] {2f}, new Shape(1, 1));
            for (int r = -1; r < microsPerOp.length; r++) {
                try (NDManager scope = m.newSubManager()) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < ops; i++) {
                        NDArray z = x.add(y);
                        z.attach(scope);
                    }
                    double us = (System.nanoTime() - t0) / 1e3 / ops;
                    if (r >= 0) {
                        microsPerOp[r] = us;
                    }
                }
            }
        }
        Stats perOp = Stats.of(microsPerOp);
        report.line("| measurement | median (min–max) | repeats |");
        report.line("|---|---|---|");
        report.line("| fp32 matmul 2048×2048 through DJL, GFLOP/s | " + matmul.show() + " | " + repeats + " |");
        report.line("| add of two 1×1 NDArrays, µs/op (per-op overhead) | " + perOp.show() + " | "
                + microsPerOp.length + " × " + ops + " ops |");
        report.line("");
        report.line("The matmul median is the ceiling that section 2 divides by. The 1×1 add is pure dispatch cost "
                + "(JNI + libtorch op launch): a step of a small MLP made of ~100 ops cannot beat ~100× this.");
        report.headline(String.format(Locale.ROOT, "matmul ceiling %s GFLOP/s; 1×1 add %s µs/op",
                matmul.show(), perOp.show()));
        return matmul.median();
    }
}
