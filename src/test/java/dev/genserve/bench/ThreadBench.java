package dev.genserve.bench;

import ai.djl.pytorch.jni.JniUtils;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.drifting.DriftingConfig;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.drifting.DriftingTrainer;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 16, item 4: which intra-op thread count suits a 2-core box, idle and contended. In one JVM, interleaved
 * (every round runs every cell, the order rotated each round): steps/s of the MLP 3×256 batch-1024 training step
 * ({@link PerfBench.Variant}, the current optimiser and EMA) and of a small conv drifting step (Fashion-MNIST, the
 * default image architecture with 128 generated × 128 positives), with PyTorch set to 1 and to 2 intra-op threads
 * ({@code JniUtils.setNumThreads}), with the other core idle and with a Java thread spinning on it.
 *
 * <p>Run (docs/benchmarks.md): {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * dev.genserve.bench.ThreadBench}. Properties: {@code threads.rounds} (3), {@code threads.mlpSteps} (40 per cell),
 * {@code threads.convSteps} (8 per cell, after 3 warm-up steps).
 */
public final class ThreadBench {

    private ThreadBench() {}

    private record Cell(int threads, boolean busy) {
        String name() {
            return threads + " thread" + (threads > 1 ? "s" : "") + ", other core " + (busy ? "busy" : "idle");
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("threads.rounds", 3);
        int mlpSteps = Integer.getInteger("threads.mlpSteps", 40);
        int convSteps = Integer.getInteger("threads.convSteps", 8);
        List<Cell> cells = List.of(new Cell(1, false), new Cell(2, false), new Cell(1, true), new Cell(2, true));
        ai.djl.engine.Engine.getInstance(); // loads libtorch before JniUtils is called
        System.out.printf(Locale.ROOT, "# ThreadBench rounds=%d nproc=%d torch threads at start=%d load=%s%n", rounds,
                Runtime.getRuntime().availableProcessors(), JniUtils.getNumThreads(), loadAverage());
        TrainingData images = null;
        DriftingConfig conv = null;
        if (FashionMnist.available(FashionMnist.DEFAULT_DIR)) {
            images = DriftingBenchmark.fashionData(2000).data();
            conv = new DriftingFamily().resolve(DriftingConfig.defaults().withBatch(128, 128), images);
            System.out.println("conv drifting config: " + conv.architecture() + ", " + conv.featureMaps() + ", "
                    + conv.generated() + " generated × " + conv.positives() + " positives");
        } else {
            System.out.println("Fashion-MNIST not found: conv step skipped");
        }
        PerfBench.Variant mlp = new PerfBench.Variant("mlp", false);
        for (int s = 0; s < 20; s++) {
            mlp.step(s); // warm-up
        }
        Map<Cell, List<Double>> mlpRates = new LinkedHashMap<>();
        Map<Cell, List<Double>> convRates = new LinkedHashMap<>();
        int step = 20;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cells.size(); i++) {
                Cell cell = cells.get((i + r) % cells.size());
                JniUtils.setNumThreads(cell.threads());
                Spinner spinner = cell.busy() ? Spinner.start() : null;
                try {
                    int from = mlp.seconds.size();
                    for (int s = 0; s < mlpSteps; s++) {
                        mlp.step(step++);
                    }
                    double[] t = mlp.seconds.subList(from, mlp.seconds.size()).stream()
                            .mapToDouble(Double::doubleValue).toArray();
                    mlpRates.computeIfAbsent(cell, c -> new ArrayList<>()).add(1 / median(t));
                    if (images != null) {
                        convRates.computeIfAbsent(cell, c -> new ArrayList<>()).add(convRate(images, conv,
                                convSteps));
                    }
                } finally {
                    if (spinner != null) {
                        spinner.stop();
                    }
                }
                System.out.printf(Locale.ROOT, "round %d %-32s mlp %.1f steps/s%s%n", r + 1, cell.name(),
                        last(mlpRates.get(cell)), images == null ? ""
                                : String.format(Locale.ROOT, ", conv drifting %.2f steps/s", last(convRates.get(cell))));
            }
        }
        System.out.printf(Locale.ROOT, "%n| cell | MLP 3×256 b1024 steps/s (median of %d rounds; min–max) | conv drifting "
                + "steps/s |%n|---|---|---|%n", rounds);
        for (Cell c : cells) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", c.name(), show(mlpRates.get(c)),
                    convRates.containsKey(c) ? show(convRates.get(c)) : "–");
        }
        System.out.printf(Locale.ROOT, "# load at end=%s%n", loadAverage());
        mlp.manager.close();
    }

    /** Steps/s of one short drifting training, after its first 3 steps. */
    private static double convRate(TrainingData data, DriftingConfig c, int steps) {
        List<Long> marks = new ArrayList<>();
        TrainingContext context = new TrainingContext() {
            @Override
            public void report(TrainingProgress p) {
                marks.add(System.nanoTime());
            }
        };
        DriftingTrainer.train(data, c.withSteps(steps + 3), context, null).close();
        long from = marks.get(2);
        long to = marks.get(marks.size() - 1);
        return (marks.size() - 3) / ((to - from) / 1e9);
    }

    /** A Java thread spinning on the other core. */
    private static final class Spinner {
        private volatile boolean stop;
        private final Thread thread = new Thread(this::spin, "spinner");
        static volatile long sink;

        static Spinner start() {
            Spinner s = new Spinner();
            s.thread.setDaemon(true);
            s.thread.start();
            return s;
        }

        private void spin() {
            long x = 1;
            while (!stop) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink = x;
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }

    private static double last(List<Double> v) {
        return v.get(v.size() - 1);
    }

    private static String show(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.2f (%.2f–%.2f)", median(a), a[0], a[a.length - 1]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
