package dev.genserve.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.Generator;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.drifting.DriftingConfig;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.score.DiffusionConfig;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.train.AdamW;
import dev.genserve.generative.train.ExponentialMovingAverage;
import dev.genserve.generative.train.OptimizerSettings;
import dev.genserve.generative.train.StepProfile;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingLoop;
import dev.genserve.generative.train.TrainingProgress;
import dev.genserve.sampling.BatchingProperties;
import dev.genserve.sampling.LoadedModel;
import dev.genserve.sampling.SampleBatcher;
import dev.genserve.sampling.SampleOutput;
import dev.genserve.sampling.SampleWorkers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The issue-16 performance driver, in one JVM and one run so that its ratios are comparable on a shared machine:
 * <ol>
 *   <li>the training step of an MLP 3×256 on 2-D data, batch 1024, with the optimiser and EMA of before the rewrite
 *       (global norm read back once per parameter, EMA one op chain per parameter) against the current ones (one
 *       fused norm read back with the loss, EMA over one flat buffer), interleaved; then {@link TrainingLoop} itself
 *       with a {@link StepProfile} for each part's share, and the step as a fraction of the fp32 matmul ceiling;</li>
 *   <li>dynamic batching: the service's {@link SampleWorkers} bulkhead and {@link SampleBatcher} with their
 *       defaults, closed-loop clients at c = 1, 4, 16, 64, batching off and on, for diffusion (default network, 50
 *       steps, n = 10) and drifting (n = 100).</li>
 * </ol>
 * Run: {@code java -cp target/test-classes:target/classes:$(cat cp.txt) -Dai.djl.pytorch.num_threads=1
 * dev.genserve.bench.PerfBench} (docs/benchmarks.md). Properties: {@code perf.trainSteps} (300),
 * {@code perf.loadSeconds} (5), {@code perf.sections} ({@code training,batching}).
 */
public final class PerfBench {

    private static final int BATCH = 1024;
    private static final int WIDTH = 256;
    private static final int DEPTH = 3;

    private PerfBench() {}

    public static void main(String[] args) throws Exception {
        List<String> sections = List.of(System.getProperty("perf.sections", "training,batching").split(","));
        System.out.printf(Locale.ROOT, "# PerfBench  threads=%s  nproc=%d  load=%s%n",
                System.getProperty("ai.djl.pytorch.num_threads", "(default)"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        if (sections.contains("training")) {
            training(Integer.getInteger("perf.trainSteps", 300));
        }
        if (sections.contains("batching")) {
            batching(Integer.getInteger("perf.loadSeconds", 5));
        }
        System.out.printf(Locale.ROOT, "# load at end=%s%n", loadAverage());
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ training

    /** 3 × 2 × batch × Σ in·out over the dense layers (forward + backward ≈ 3 forward passes). */
    private static double flopsPerStep() {
        double macs = 2.0 * WIDTH + (DEPTH - 1) * (double) WIDTH * WIDTH + WIDTH * 2.0;
        return 3 * 2 * BATCH * macs;
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** The fp32 matmul ceiling in GFLOP/s: [wall clock, this thread's CPU time] (one intra-op thread runs here). */
    private static double[] matmulCeiling() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 2048;
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            double[] g = new double[5];
            double[] cpu = new double[5];
            for (int r = 0; r < g.length; r++) {
                long t = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                NDArray c = a.matMul(b);
                c.toFloatArray();
                double s = (System.nanoTime() - t) / 1e9;
                double cs = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
                c.close();
                g[r] = 2.0 * n * n * n / s / 1e9;
                cpu[r] = 2.0 * n * n * n / cs / 1e9;
            }
            return new double[] {median(g), median(cpu)};
        }
    }

    private static TrainingLoop.LossFunction regression(ConditionedMlp mlp) {
        return (scope, store, step, random) -> {
            NDArray x = random.normal(scope, new Shape(BATCH, 2));
            NDArray eps = random.normal(scope, new Shape(BATCH, 2));
            return mlp.apply(store, x.add(eps), null, true).sub(eps).square().mean();
        };
    }

    /** The optimiser and EMA of one variant: {@code update} runs after backward and returns the loss read back. */
    private interface Update {
        float apply(NDArray loss, int step);
    }

    /** Before the rewrite (commit 44c9094): per-parameter norm read-back, loss read-back, per-parameter EMA. */
    private static Update legacy(List<NDArray> weights, NDManager state) {
        List<NDArray> means = new ArrayList<>();
        List<NDArray> variances = new ArrayList<>();
        List<NDArray> shadows = new ArrayList<>();
        for (NDArray w : weights) {
            means.add(state.zeros(w.getShape()));
            variances.add(state.zeros(w.getShape()));
            NDArray copy = state.zeros(w.getShape());
            Networks.assign(copy, w.toFloatArray());
            shadows.add(copy);
        }
        int[] t = {0};
        return (loss, step) -> {
            float value = loss.getFloat();
            double sum = 0;
            for (NDArray w : weights) {
                NDArray g = w.getGradient();
                sum += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(sum);
            float rescale = norm > 1.0 ? (float) (1.0 / (norm + 1e-12)) : 1f;
            t[0]++;
            double lr = 1e-3;
            double correction = lr * Math.sqrt(1 - Math.pow(0.999, t[0])) / (1 - Math.pow(0.9, t[0]));
            for (int i = 0; i < weights.size(); i++) {
                NDArray w = weights.get(i);
                NDArray g = w.getGradient();
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, means.get(i), variances.get(i)), new NDList(w),
                        (float) lr, (float) correction, 0f, rescale, 1e30f, 0.9f, 0.999f, 1e-8f, false, true);
            }
            float d = (float) Math.min(0.999, (1.0 + step) / (10.0 + step));
            for (int i = 0; i < weights.size(); i++) {
                NDArray current = weights.get(i).stopGradient();
                NDArray blended = current.mul(1 - d);
                shadows.get(i).muli(d).addi(blended);
                blended.close();
                current.close();
            }
            return value;
        };
    }

    /** The current classes: fused norm read back with the loss, AdamW, flat EMA. */
    private static Update current(List<NDArray> weights, NDManager state) {
        AdamW adam = new AdamW(weights, state, 0.0);
        ExponentialMovingAverage ema = new ExponentialMovingAverage(weights, state, 0.999);
        return (loss, step) -> {
            float[] both = ai.djl.ndarray.NDArrays.concat(new NDList(loss.reshape(1), adam.gradientNorm().reshape(1)))
                    .toFloatArray();
            adam.step(1e-3, 1.0, both[1]);
            ema.update(step + 1);
            return both[0];
        };
    }

    static final class Variant {
        final String name;
        final NDManager manager = NDManager.newBaseManager();
        final ConditionedMlp mlp = new ConditionedMlp(2, 0, WIDTH, DEPTH, 2);
        final TrainingLoop.LossFunction loss;
        final Update update;
        final ParameterStore store;
        final List<Double> seconds = new ArrayList<>();
        final List<Double> cpuSeconds = new ArrayList<>();

        Variant(String name, boolean legacy) {
            this.name = name;
            Networks.initialize(mlp, manager, 3L, mlp.inputShapes());
            List<NDArray> weights = Networks.parameterArrays(mlp);
            loss = regression(mlp);
            update = legacy ? legacy(weights, manager) : current(weights, manager);
            store = new ParameterStore(manager, false);
        }

        void step(int step) {
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            try (NDManager scope = manager.newSubManager(); NDScope ignored = new NDScope()) {
                NDArray l;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    l = loss.loss(scope, store, step, RandomSource.forStep(7L, step));
                    collector.backward(l);
                }
                update.apply(l, step);
            }
            seconds.add((System.nanoTime() - t0) / 1e9);
            cpuSeconds.add((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
        }
    }

    private static double[] tail(List<Double> values, int from) {
        return values.subList(from, values.size()).stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void training(int steps) {
        double[] ceiling = matmulCeiling();
        double flops = flopsPerStep();
        System.out.printf(Locale.ROOT, "%n## Training step: MLP %d×%d, 2-D, batch %d (%.0f MFLOP/step)%n", DEPTH, WIDTH,
                BATCH, flops / 1e6);
        System.out.printf(Locale.ROOT, "matmul ceiling (2048² fp32, median of 5): %.1f GFLOP/s wall, %.1f GFLOP/s "
                + "per CPU-second -> %.0f steps/s at the CPU-time ceiling%n", ceiling[0], ceiling[1],
                ceiling[1] * 1e9 / flops);
        Variant before = new Variant("before (per-parameter norm read-back and EMA)", true);
        Variant after = new Variant("after (fused norm, one read-back, flat EMA)", false);
        int warm = Math.max(10, steps / 5);
        for (int s = 0; s < steps; s++) { // both every step, the order swapped every 10 steps: same machine load
            Variant first = (s / 10) % 2 == 0 ? before : after;
            first.step(s);
            (first == before ? after : before).step(s);
        }
        double[] medians = new double[2];
        double[] cpuMedians = new double[2];
        int k = 0;
        for (Variant v : List.of(before, after)) {
            double[] t = tail(v.seconds, warm);
            double[] c = tail(v.cpuSeconds, warm);
            medians[k] = median(t);
            cpuMedians[k] = median(c);
            System.out.printf(Locale.ROOT, "%-48s wall %6.1f steps/s (median %.2f ms, p10 %.2f, p90 %.2f); CPU time "
                    + "%.2f ms/step = %.1f%% of the CPU-time ceiling%n", v.name, 1 / medians[k], medians[k] * 1e3,
                    quantile(t, 0.1) * 1e3, quantile(t, 0.9) * 1e3, cpuMedians[k] * 1e3,
                    100 * flops / cpuMedians[k] / (ceiling[1] * 1e9));
            v.manager.close();
            k++;
        }
        System.out.printf(Locale.ROOT, "speed-up after/before: %.3f× wall, %.3f× CPU time (medians of %d steps each)%n",
                medians[0] / medians[1], cpuMedians[0] / cpuMedians[1], steps - warm);

        // TrainingLoop with a profile: each part's share (thread CPU time, so other processes do not count)
        Map<StepProfile.Part, long[]> parts = new EnumMap<>(StepProfile.Part.class);
        StepProfile profile = new StepProfile() {
            @Override
            public void record(int step, Part part, long nanos) {
                if (step >= warm) {
                    parts.computeIfAbsent(part, p -> new long[1])[0] += nanos;
                }
            }

            @Override
            public long now() {
                return THREADS.getCurrentThreadCpuTime();
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            ConditionedMlp mlp = new ConditionedMlp(2, 0, WIDTH, DEPTH, 2);
            Networks.initialize(mlp, manager, 3L, mlp.inputShapes());
            OptimizerSettings settings = new OptimizerSettings(steps, 1e-3, 20, true, 0.0, 1.0, 0.999, 7L);
            long t0 = System.nanoTime();
            TrainingLoop.run(mlp, manager, settings, regression(mlp), new TrainingContext() {
                @Override
                public void report(TrainingProgress p) {}

                @Override
                public StepProfile profile() {
                    return profile;
                }
            });
            double wall = (System.nanoTime() - t0) / 1e9;
            long total = parts.values().stream().mapToLong(a -> a[0]).sum();
            System.out.printf(Locale.ROOT, "TrainingLoop.run, %d steps: %.1f steps/s wall (incl. warm-up); "
                    + "CPU time per step after warm-up %.2f ms = %.1f%% of the CPU-time ceiling%n", steps, steps / wall,
                    total / 1e6 / (steps - warm), 100 * flops / (total / 1e9 / (steps - warm)) / (ceiling[1] * 1e9));
            for (StepProfile.Part p : StepProfile.Part.values()) {
                long ns = parts.getOrDefault(p, new long[1])[0];
                System.out.printf(Locale.ROOT, "  %-12s %6.1f%%  %.3f ms/step%n", p, 100.0 * ns / total,
                        ns / 1e6 / (steps - warm));
            }
        }
    }

    // ------------------------------------------------------------------ batching

    private record Load(double perSecond, double p50, double p99, long errors) {}

    private static void batching(int seconds) throws Exception {
        TrainingData eight = TrainingData.of(ToyDistributions.eightGaussians(4000, 1L));
        DiffusionFamily diffusionFamily = new DiffusionFamily();
        Generator diffusion = diffusionFamily.train(eight, diffusionFamily.resolve(DiffusionConfig.defaults()
                .withTraining(30, 256, 1e-3, 5L), eight), TrainingContext.simple());
        DriftingFamily driftingFamily = new DriftingFamily();
        Generator drifting = driftingFamily.train(eight, driftingFamily.resolve(DriftingConfig.defaults()
                .withSteps(30), eight), TrainingContext.simple());
        BatchingProperties defaults = new BatchingProperties(true, Duration.ofMillis(2), 32, 4096);
        System.out.printf(Locale.ROOT, "%n## Dynamic batching (SampleWorkers 2 concurrent / 64 queued; batching window "
                + "%d ms, max %d requests, %d rows); %d s per cell after 1 s warm-up%n", defaults.window().toMillis(),
                defaults.maxRequests(), defaults.maxRows(), seconds);
        load("diffusion, default net, steps=50, n=10", diffusion, n -> SampleSpec.of(10, n).withSampler(null, 50),
                defaults, seconds);
        load("drifting, default net, n=100", drifting, n -> SampleSpec.of(100, n), defaults, seconds);
        diffusion.close();
        drifting.close();
    }

    private static void load(String title, Generator g, java.util.function.LongFunction<SampleSpec> specs,
            BatchingProperties props, int seconds) throws Exception {
        LoadedModel model = new LoadedModel(g, Standardizer.of(new double[] {0, 0}, new double[] {1, 1}),
                new int[] {2}, 1);
        System.out.printf(Locale.ROOT, "%n### %s%n| c | off req/s | off p50 ms | off p99 ms | on req/s | on p50 ms "
                + "| on p99 ms | on/off throughput |%n|---|---|---|---|---|---|---|---|%n", title);
        run(model, g, specs, props, true, 16, 2); // warm-up (JIT, allocator), both paths, discarded
        run(model, g, specs, props, false, 4, 2);
        double onAt1 = 0;
        double offAt1 = 0;
        int cell = 0;
        for (int c : new int[] {1, 4, 16, 64}) {
            boolean onFirst = cell++ % 2 == 1; // alternate which mode runs first
            Load on = onFirst ? run(model, g, specs, props, true, c, seconds) : null;
            Load off = run(model, g, specs, props, false, c, seconds);
            if (!onFirst) {
                on = run(model, g, specs, props, true, c, seconds);
            }
            if (c == 1) {
                onAt1 = on.perSecond();
                offAt1 = off.perSecond();
            }
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f× |%s%n", c,
                    off.perSecond(), off.p50(), off.p99(), on.perSecond(), on.p50(), on.p99(),
                    on.perSecond() / off.perSecond(), off.errors() + on.errors() > 0
                            ? " errors " + (off.errors() + on.errors()) : "");
            if (c == 16) {
                System.out.printf(Locale.ROOT, "c=16 / c=1 throughput: batching off %.2f×, on %.2f×%n",
                        off.perSecond() / offAt1, on.perSecond() / onAt1);
            }
        }
    }

    private static Load run(LoadedModel model, Generator g, java.util.function.LongFunction<SampleSpec> specs,
            BatchingProperties props, boolean batching, int clients, int seconds) throws Exception {
        SampleWorkers workers = new SampleWorkers("perf", 2, 64, Duration.ofSeconds(60), Duration.ofSeconds(1));
        workers.start();
        SampleBatcher batcher = new SampleBatcher(workers, props, new SimpleMeterRegistry());
        AtomicLong seeds = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        long until = warmUntil + seconds * 1_000_000_000L;
        List<List<Double>> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            List<Double> mine = new ArrayList<>();
            latencies.add(mine);
            Thread t = new Thread(() -> {
                while (true) {
                    long start = System.nanoTime();
                    if (start >= until) {
                        return;
                    }
                    SampleSpec spec = specs.apply(seeds.incrementAndGet());
                    try {
                        SampleWorkers.Task<?> task;
                        if (!model.acquire()) {
                            throw new IllegalStateException("model closed");
                        }
                        Object key = batching ? g.batchKey(spec) : null;
                        if (key != null) {
                            task = batcher.submit(model, key, spec, (r, nanos) -> output(spec, r, nanos),
                                    model::release);
                        } else {
                            task = workers.submit(() -> g.sample(spec), model::release);
                        }
                        task.result().get();
                        long end = System.nanoTime();
                        if (start >= warmUntil && end <= until) {
                            mine.add((end - start) / 1e6);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        workers.stop();
        double[] all = latencies.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).toArray();
        return new Load(all.length / (double) seconds, quantile(all, 0.5), quantile(all, 0.99), errors.get());
    }

    private static SampleOutput output(SampleSpec spec, SampleResult r, long nanos) {
        return new SampleOutput("bench", 1, "bench", spec.seed(), new int[] {2}, r.samples(), r.functionEvaluations(),
                List.of(), nanos / 1e6, r.labels());
    }

    // ------------------------------------------------------------------ stats

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(q * (s.length - 1) + 0.5))];
    }
}
