package dev.genserve.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.SampleQuality;
import dev.genserve.generative.train.CheckpointStore;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The benchmark suite behind {@code ./mvnw -Pbench verify}: writes {@code <dir>/report.md} and PNG plots, and
 * prints the headline numbers. Sections (docs/benchmarks.md): 1 hardware ceiling, 2 training throughput, 3 sampling
 * latency/throughput, 4 quality vs NFE on 2-D toys, 5 the service under load (wrk), 6 scale in N and D. Every
 * figure is the median of ≥3 repeats with its min–max. Settings are system properties ({@code bench.*}, see
 * {@link Settings}). Not a unit test: surefire never runs it.
 */
public final class BenchmarkSuite {

    /** Every knob of the suite; {@code -Dbench.quick=true} scales the budget down to a ~3 min smoke run. */
    record Settings(boolean quick, int steps, int batch, List<String> toys, int repeats, List<String> sections,
            int throughputSteps, int scaleSteps, int scaleMaxN, int evalRows, int loadSeconds, int loadRequests,
            int serviceTrainSteps, String threads) {

        static Settings fromSystemProperties() {
            boolean quick = Boolean.parseBoolean(prop("bench.quick", "false"));
            return new Settings(quick,
                    Integer.parseInt(prop("bench.steps", quick ? "300" : "2000")),
                    Integer.parseInt(prop("bench.batch", "512")),
                    List.of(prop("bench.toys", quick ? "eight-gaussians" : "eight-gaussians,moons,checkerboard")
                            .split(",")),
                    Math.max(3, Integer.parseInt(prop("bench.repeats", "3"))),
                    List.of(prop("bench.sections", "hardware,training,sampling,quality,service,scale").split(",")),
                    Integer.parseInt(prop("bench.throughputSteps", quick ? "40" : "200")),
                    Integer.parseInt(prop("bench.scaleSteps", quick ? "9" : "15")),
                    Integer.parseInt(prop("bench.scaleMaxN", quick ? "2048" : "4096")),
                    Integer.parseInt(prop("bench.evalRows", quick ? "1000" : "1500")),
                    Integer.parseInt(prop("bench.loadSeconds", quick ? "3" : "8")),
                    Integer.parseInt(prop("bench.loadRequests", quick ? "3000" : "10000")),
                    Integer.parseInt(prop("bench.serviceTrainSteps", quick ? "100" : "300")),
                    System.getProperty("ai.djl.pytorch.num_threads", "(PyTorch default)"));
        }

        boolean runs(String section) {
            return sections.contains(section);
        }

        private static String prop(String name, String fallback) {
            String v = System.getProperty(name);
            return v == null || v.isBlank() || v.startsWith("${") ? fallback : v.trim();
        }
    }

    static final int HIDDEN = 256;
    static final int DEPTH = 3;
    static final int TIME_FEATURES = 32;
    static final int REF_BATCH = 1024;
    static final int[] NFE_GRID = {10, 30, 100, 300};
    static final int[] SAMPLE_N = {1, 100, 10_000};
    static final int SWEEP_STEPS = 50;
    /** NFE targets for the non-diffusion multi-step samplers (the attractor pays O(N²) per step). */
    static final int[] NFE_GRID_OTHER = {10, 30, 100};
    static final String FASHION_DIR = "/usr/share/datasets/fashion-mnist";

    private final Settings settings;
    private final Path out;
    private final Report report;
    private final List<Families.Found> families;
    private final List<String> missingFamilies = new ArrayList<>();
    private double matmulCeiling = Double.NaN;

    private BenchmarkSuite(Settings settings, Path out) {
        this.settings = settings;
        this.out = out;
        this.report = new Report(out.resolve("report.md"));
        this.families = Families.available(missingFamilies);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench-report").toAbsolutePath();
        Files.createDirectories(out);
        Settings settings = Settings.fromSystemProperties();
        System.out.println("[bench] writing " + out + " with " + settings);
        long began = System.nanoTime();
        BenchmarkSuite suite = new BenchmarkSuite(settings, out);
        suite.run();
        double minutes = (System.nanoTime() - began) / 60e9;
        suite.report.finish(minutes, Machine.loadAverage());
        System.out.println();
        System.out.println("==== headline numbers (" + out.resolve("report.md") + ") ====");
        suite.report.headlines().forEach(h -> System.out.println("  " + h));
        System.out.printf(Locale.ROOT, "[bench] done in %.1f min%n", minutes);
        System.exit(0); // JobRunr-free, but DJL leaves non-daemon threads behind on some builds
    }

    private void run() {
        report.header(settings, missingFamilies);
        section("hardware", "1. Hardware ceiling", this::hardware);
        section("training", "2–3. Training throughput and sampling", this::trainingAndSampling);
        // cheapest first: on a busy machine an interrupted run still has every section but the slow quality one
        section("service", "5. Service under load", () -> new ServiceLoad(settings, out, report).run());
        section("scale", "6. Scale in N and D", this::scale);
        section("quality", "4. Quality vs NFE on 2-D toys", this::quality);
    }

    private void section(String key, String title, Runnable body) {
        boolean wanted = settings.runs(key) || (key.equals("training") && settings.runs("sampling"));
        if (!wanted) {
            System.out.println("[bench] skipping section " + key + " (bench.sections)");
            return;
        }
        System.out.println("[bench] === " + title + " ===");
        report.section(title);
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            report.line("\n**Section failed:** `" + e + "`\n");
        }
        System.out.printf(Locale.ROOT, "[bench] %s took %.0f s%n", key, (System.nanoTime() - t0) / 1e9);
        report.flush();
    }

    // ---------------------------------------------------------------- 1. hardware

    private void hardware() {
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
        matmulCeiling = matmul.median();

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
    }

    // ---------------------------------------------------------------- 2 + 3. training throughput, sampling

    private Map<String, Object> budget(int steps, int batch) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("hidden", HIDDEN);
        b.put("depth", DEPTH);
        b.put("timeFeatures", TIME_FEATURES);
        b.put("steps", steps);
        b.put("batchSize", batch);
        b.put("positives", batch);
        b.put("generated", batch);
        b.put("seed", 0L);
        return b;
    }

    /** ≈ FLOPs of one training step at the reference config (3 × forward MLP; drifting adds the field). */
    static double flopsPerStep(String family, int batch, int dim) {
        int in = switch (family) {
            case "drifting" -> Math.max(16, Math.min(dim, 128)); // noise width default clamp(D, 16, 128)
            default -> dim + TIME_FEATURES;
        };
        double macs = (double) in * HIDDEN + (double) (DEPTH - 1) * HIDDEN * HIDDEN + (double) HIDDEN * dim;
        double flops = 3 * 2.0 * batch * macs;
        if (family.equals("drifting")) {
            // per temperature (3): distances X·[Y⁺;Y⁻]ᵀ and drift A·[Y⁺;Y⁻], each 2·N·(N⁺+N)·D, no backward
            flops += 3 * 2 * 2.0 * batch * (2.0 * batch) * dim;
        }
        return flops;
    }

    private void trainingAndSampling() {
        if (Double.isNaN(matmulCeiling)) {
            report.line("_(section 1 not run: no ceiling to compare against)_\n");
        }
        FloatMatrix toy = standardise(ToyDistributions.eightGaussians(20_000, 1L));
        TrainingData data = TrainingData.of(toy);
        Map<String, Generator> generators = new LinkedHashMap<>();
        try {
            report.line("### 2a. Training throughput, reference config\n");
            report.line("eight-gaussians, 2-D, MLP 3×" + HIDDEN + " (SiLU, " + TIME_FEATURES
                    + " time features where the family has time), batch " + REF_BATCH + " (drifting: " + REF_BATCH
                    + " generated × " + REF_BATCH + " positives), " + settings.throughputSteps()
                    + " steps; the first 20% are warm-up, the rest is cut into 3 windows (the repeats).\n");
            report.line("| family | steps/s | samples/s | ≈GFLOP/step | achieved GFLOP/s | fraction of matmul ceiling |");
            report.line("|---|---|---|---|---|---|");
            for (Families.Found f : families) {
                Timed t = train(f, data, budget(settings.throughputSteps(), REF_BATCH), 600);
                generators.put(f.id(), t.generator());
                double flops = flopsPerStep(f.id(), REF_BATCH, 2);
                Stats gflops = t.stepsPerSecond().times(flops / 1e9);
                report.line("| " + f.id() + " | " + t.stepsPerSecond().show() + " | "
                        + t.stepsPerSecond().times(REF_BATCH).show() + " | " + Stats.fmt(flops / 1e9) + " | "
                        + gflops.show() + " | " + Stats.fmt(gflops.median() / matmulCeiling) + " |");
                report.headline(String.format(Locale.ROOT, "train %s: %s steps/s (batch %d, %.0f%% of ceiling)",
                        f.id(), t.stepsPerSecond().show(), REF_BATCH, 100 * gflops.median() / matmulCeiling));
                report.flush();
            }
            report.line("\nFLOPs count the dense layers only (3 × forward for forward+backward); elementwise work, "
                    + "the optimiser and data movement are extra, which is why small-batch 2-D training sits well "
                    + "below the matmul ceiling.\n");
            imageTraining();
            report.flush();
            sampling(generators);
        } finally {
            generators.values().forEach(Generator::close);
        }
    }

    private void imageTraining() {
        report.line("### 2b. Image config: Fashion-MNIST 28×28 (784-D)\n");
        Path dir = Path.of(FASHION_DIR);
        Optional<FloatMatrix> images = FashionMnist.read(dir, settings.quick() ? 2000 : 10_000);
        if (images.isEmpty()) {
            String msg = "Fashion-MNIST not found in " + FASHION_DIR
                    + " (Debian package `dataset-fashion-mnist`): image config skipped.";
            System.out.println("[bench] " + msg);
            report.line(msg + "\n");
            return;
        }
        FloatMatrix x = Standardizer.fit(images.get(), true).forward(images.get());
        TrainingData data = new TrainingData(x, null, 0, new int[] {1, 28, 28});
        int batch = 256;
        int steps = settings.quick() ? 12 : 30;
        report.line(x.rows() + " training images, batch " + batch + " (drifting: " + batch + " generated × " + batch
                + " positives, the family's default image generator and feature maps), " + steps
                + " steps, windows as above.\n");
        report.line("| family | architecture | steps/s | images/s |");
        report.line("|---|---|---|---|");
        for (Families.Found f : families) {
            try {
                Timed t = train(f, data, budget(steps, batch), 300);
                t.generator().close();
                report.line("| " + f.id() + " | " + architecture(f.id()) + " | " + t.stepsPerSecond().show() + " | "
                        + t.stepsPerSecond().times(batch).show() + " |");
                report.headline("train " + f.id() + " Fashion-MNIST: " + t.stepsPerSecond().show() + " steps/s (batch "
                        + batch + ")");
            } catch (RuntimeException e) {
                report.line("| " + f.id() + " | – | failed: `" + e.getMessage() + "` | |");
            }
            report.flush();
        }
        report.line("");
    }

    private static String architecture(String family) {
        return switch (family) {
            case "drifting" -> "conv generator (family default for images)";
            default -> "MLP 3×256 on the flattened 784-D image";
        };
    }

    private void sampling(Map<String, Generator> generators) {
        report.line("### 3a. Sampling latency and throughput vs N\n");
        report.line("Generators from 2a (same trained weights for every N). Multi-step samplers run " + SWEEP_STEPS + " steps here; "
                + "N=1 and N=100 are repeated 5×, N=10000 " + settings.repeats() + "×, after one warm-up call.\n");
        report.line("| family | sampler | NFE | N | latency s | samples/s |");
        report.line("|---|---|---|---|---|---|");
        for (Map.Entry<String, Generator> e : generators.entrySet()) {
            Generator g = e.getValue();
            List<String> samplers = g.samplers().isEmpty() ? Arrays.asList((String) null) : g.samplers();
            for (String sampler : samplers) {
                Integer steps = sampler == null ? null : SWEEP_STEPS;
                g.sample(SampleSpec.of(100, 1).withSampler(sampler, sampler == null ? null : 10));
                for (int n : SAMPLE_N) {
                    int reps = n >= 10_000 ? settings.repeats() : Math.max(5, settings.repeats());
                    double[] seconds = new double[reps];
                    int nfe = 0;
                    for (int r = 0; r < reps; r++) {
                        long t0 = System.nanoTime();
                        SampleResult res = g.sample(SampleSpec.of(n, 100 + r).withSampler(sampler, steps));
                        seconds[r] = (System.nanoTime() - t0) / 1e9;
                        nfe = res.functionEvaluations();
                    }
                    Stats lat = Stats.of(seconds);
                    report.line("| " + e.getKey() + " | " + name(sampler) + " | " + nfe + " | " + n + " | "
                            + lat.show() + " | " + lat.inverse().times(n).show() + " |");
                    if (n == 10_000) {
                        report.headline(String.format(Locale.ROOT, "sample %s %s: 10k samples (NFE %d) in %s s",
                                e.getKey(), name(sampler), nfe, lat.show()));
                    }
                }
                report.flush();
            }
        }
        report.line("");

        report.line("### 3b. Sampling throughput vs NFE (N = 1000)\n");
        report.line("| family | sampler | steps | NFE | latency s | samples/s | samples·NFE/s |");
        report.line("|---|---|---|---|---|---|---|");
        List<Plot.Series> series = new ArrayList<>();
        for (Map.Entry<String, Generator> e : generators.entrySet()) {
            Generator g = e.getValue();
            for (String sampler : g.samplers()) {
                double[] xs = new double[NFE_GRID.length];
                Stats[] ys = new Stats[NFE_GRID.length];
                for (int i = 0; i < NFE_GRID.length; i++) {
                    int steps = NFE_GRID[i];
                    double[] seconds = new double[settings.repeats()];
                    int nfe = 0;
                    for (int r = 0; r < seconds.length; r++) {
                        long t0 = System.nanoTime();
                        nfe = g.sample(SampleSpec.of(1000, 200 + r).withSampler(sampler, steps)).functionEvaluations();
                        seconds[r] = (System.nanoTime() - t0) / 1e9;
                    }
                    Stats lat = Stats.of(seconds);
                    xs[i] = nfe;
                    ys[i] = lat.inverse().times(1000);
                    report.line("| " + e.getKey() + " | " + sampler + " | " + steps + " | " + nfe + " | " + lat.show()
                            + " | " + ys[i].show() + " | " + ys[i].times(nfe).show() + " |");
                }
                series.add(Plot.Series.withSpread(e.getKey() + " " + sampler, xs, ys));
                report.flush();
            }
        }
        if (!series.isEmpty()) {
            Plot.lines(out.resolve("sampling_throughput_vs_nfe.png"), "Sampling throughput vs NFE (N=1000)",
                    "NFE (network evaluations per sample)", "samples/s", true, true, series);
            report.line("\n![throughput vs NFE](sampling_throughput_vs_nfe.png)\n");
        }
        report.line("For a fixed network, samples·NFE/s should be flat in NFE: the cost is NFE forward passes. The "
                + "attractor adds an O(N²·D) mean-field term per step, so its samples·NFE/s is lower.\n");
    }

    private static String name(String sampler) {
        return sampler == null ? "one-step" : sampler;
    }

    // ---------------------------------------------------------------- 4. quality vs NFE

    /** One quality measurement: a model/sampler at one NFE, metrics over seeds. */
    record QualityRow(String toy, String model, String sampler, int nfe, Stats mmd, Stats sw2, Stats energy) {}

    private void quality() {
        int evalRows = settings.evalRows();
        int trainRows = 10_000;
        report.line("Each family trains once per toy with the same budget: MLP 3×" + HIDDEN + ", " + settings.steps()
                + " steps, batch " + settings.batch() + " (drifting: " + settings.batch() + " generated × "
                + settings.batch() + " positives), seed 0, on " + trainRows + " standardised points. Metrics (MMD² "
                + "multi-bandwidth unbiased, sliced W2 with 128 directions, energy distance; lower is better) "
                + "compare " + evalRows + " samples with " + evalRows + " held-out points, in data units; each is the "
                + "median (min–max) over " + settings.repeats() + " sample seeds. The noise floor is the same metric "
                + "between two independent draws of the data (" + settings.repeats() + " pairs): a model cannot be "
                + "told apart from the data below it. Diffusion/attractor steps are chosen to hit ≈ 10/30/100/300 "
                + "network evaluations (Heun and PC spend ~2 per step; the attractor stops at 100 because its mean field costs "
                + "O(N²) per step); the NFE column is what "
                + "`SampleResult.functionEvaluations()` reported.\n");
        List<QualityRow> rows = new ArrayList<>();
        List<String> toys = settings.toys();
        List<String> colNames = new ArrayList<>();
        colNames.add("held-out data");
        Map<String, Map<String, FloatMatrix>> scatter = new LinkedHashMap<>();
        Map<String, double[]> trainSeconds = new LinkedHashMap<>();
        for (int ti = 0; ti < toys.size(); ti++) {
            String toy = toys.get(ti).trim();
            FloatMatrix trainRaw = ToyDistributions.byName(toy, trainRows, 1000 + ti);
            Standardizer st = Standardizer.fit(trainRaw);
            FloatMatrix heldOut = ToyDistributions.byName(toy, evalRows, 2000 + ti);
            Map<String, FloatMatrix> cells = new LinkedHashMap<>();
            cells.put("held-out data", heldOut);
            scatter.put(toy, cells);
            double[][] floor = new double[3][settings.repeats()];
            for (int r = 0; r < settings.repeats(); r++) {
                SampleQuality q = SampleQuality.of(ToyDistributions.byName(toy, evalRows, 3000 + 17 * r + ti),
                        ToyDistributions.byName(toy, evalRows, 4000 + 17 * r + ti), evalRows, r);
                floor[0][r] = q.mmd();
                floor[1][r] = q.slicedWasserstein();
                floor[2][r] = q.energyDistance();
            }
            QualityRow floorRow = new QualityRow(toy, "noise floor (data vs data)", "–", 0, Stats.of(floor[0]),
                    Stats.of(floor[1]), Stats.of(floor[2]));
            rows.add(floorRow);
            TrainingData data = TrainingData.of(st.forward(trainRaw));
            List<QualityRow> toyRows = new ArrayList<>();
            for (Families.Found f : families) {
                long t0 = System.nanoTime();
                Timed t;
                try {
                    t = train(f, data, budget(settings.steps(), settings.batch()), 1800);
                } catch (RuntimeException e) {
                    report.line("- " + toy + " / " + f.id() + ": training failed: `" + e + "`");
                    continue;
                }
                trainSeconds.computeIfAbsent(f.id(), k -> new double[toys.size()])[ti] =
                        (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "[bench] %s/%s trained in %.0f s%n", toy, f.id(),
                        (System.nanoTime() - t0) / 1e9);
                try (Generator g = t.generator()) {
                    List<String> samplers = g.samplers().isEmpty() ? Arrays.asList((String) null) : g.samplers();
                    for (String sampler : samplers) {
                        int[] targets = sampler == null ? new int[] {1}
                                : f.id().equals("diffusion") && !settings.quick() ? NFE_GRID : NFE_GRID_OTHER;
                        double perStep = sampler == null ? 1
                                : g.sample(SampleSpec.of(2, 0).withSampler(sampler, 10)).functionEvaluations() / 10.0;
                        for (int target : targets) {
                            Integer steps = sampler == null ? null : Math.max(1, (int) Math.round(target / perStep));
                            double[][] m = new double[3][settings.repeats()];
                            int nfe = 0;
                            FloatMatrix first = null;
                            for (int r = 0; r < settings.repeats(); r++) {
                                SampleResult res = g.sample(SampleSpec.of(evalRows, 500 + r).withSampler(sampler,
                                        steps));
                                nfe = res.functionEvaluations();
                                FloatMatrix samples = st.inverse(res.samples());
                                if (first == null) {
                                    first = samples;
                                }
                                SampleQuality q = SampleQuality.of(samples, heldOut, evalRows, r);
                                m[0][r] = q.mmd();
                                m[1][r] = q.slicedWasserstein();
                                m[2][r] = q.energyDistance();
                            }
                            toyRows.add(new QualityRow(toy, f.id(), name(sampler), nfe, Stats.of(m[0]),
                                    Stats.of(m[1]), Stats.of(m[2])));
                            String col = f.id() + " " + name(sampler);
                            if (target == 1 || target == 100) {
                                cells.put(col + (sampler == null ? "" : " @" + nfe), first);
                                if (!colNames.contains(col)) {
                                    colNames.add(col);
                                }
                            }
                        }
                    }
                }
                report.flush();
            }
            rows.addAll(toyRows);
            qualityPlot(toy, floorRow, toyRows);
        }
        report.line("| toy | model | sampler | NFE | MMD² | sliced W2 | energy distance |");
        report.line("|---|---|---|---|---|---|---|");
        for (QualityRow r : rows) {
            report.line("| " + r.toy() + " | " + r.model() + " | " + r.sampler() + " | " + (r.nfe() == 0 ? "–" : r.nfe())
                    + " | " + r.mmd().show() + " | " + r.sw2().show() + " | " + r.energy().show() + " |");
        }
        report.line("");
        report.line("Training wall time (s) per toy: " + trainSeconds.entrySet().stream()
                .map(e -> e.getKey() + " " + Arrays.stream(e.getValue()).mapToObj(Stats::fmt).toList())
                .toList() + "\n");
        for (String toy : toys) {
            report.line("![quality " + toy + "](quality_" + toy.trim() + ".png)\n");
        }
        // scatter grid: rows = toys, columns = data + each model/sampler at ≈100 NFE (drifting at 1)
        String[] cols = colNames.toArray(String[]::new);
        FloatMatrix[][] grid = new FloatMatrix[toys.size()][cols.length];
        String[] rowNames = new String[toys.size()];
        for (int ti = 0; ti < toys.size(); ti++) {
            String toy = toys.get(ti).trim();
            rowNames[ti] = toy;
            for (Map.Entry<String, FloatMatrix> e : scatter.get(toy).entrySet()) {
                for (int c = 0; c < cols.length; c++) {
                    if (e.getKey().equals(cols[c]) || e.getKey().startsWith(cols[c] + " @")) {
                        grid[ti][c] = e.getValue();
                    }
                }
            }
        }
        Plot.scatterGrid(out.resolve("samples_grid.png"), "Samples (≈100 NFE; drifting 1 NFE) vs held-out data",
                rowNames, cols, grid, 3.0);
        report.line("![samples](samples_grid.png)\n");
        qualitySummary(rows);
    }

    private void qualityPlot(String toy, QualityRow floor, List<QualityRow> rows) {
        List<java.awt.image.BufferedImage> panels = new ArrayList<>();
        String[] metric = {"MMD²", "sliced W2", "energy distance"};
        for (int k = 0; k < 3; k++) {
            List<Plot.Series> series = new ArrayList<>();
            Map<String, List<QualityRow>> byModel = new LinkedHashMap<>();
            for (QualityRow r : rows) {
                byModel.computeIfAbsent(r.model() + " " + r.sampler(), x -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<String, List<QualityRow>> e : byModel.entrySet()) {
                double[] x = e.getValue().stream().mapToDouble(QualityRow::nfe).toArray();
                int kk = k;
                Stats[] y = e.getValue().stream().map(r -> pick(r, kk)).toArray(Stats[]::new);
                series.add(Plot.Series.withSpread(e.getKey(), x, y));
            }
            series.add(Plot.Series.horizontal("noise floor", 1, 400, Math.max(pick(floor, k).median(), 1e-7)));
            panels.add(Plot.linePanel(toy + ": " + metric[k] + " vs NFE", "NFE", metric[k] + " (log)", true, true,
                    series, 560, 400));
        }
        Plot.grid(out.resolve("quality_" + toy + ".png"), panels, 3);
    }

    private static Stats pick(QualityRow r, int k) {
        return switch (k) {
            case 0 -> r.mmd();
            case 1 -> r.sw2();
            default -> r.energy();
        };
    }

    private void qualitySummary(List<QualityRow> rows) {
        report.line("**Summary (sliced W2 / noise floor, lower is better; best NFE per model):**\n");
        Map<String, Double> floors = new LinkedHashMap<>();
        for (QualityRow r : rows) {
            if (r.nfe() == 0) {
                floors.put(r.toy(), r.sw2().median());
            }
        }
        Map<String, List<String>> perModel = new LinkedHashMap<>();
        for (QualityRow r : rows) {
            if (r.nfe() == 0) {
                continue;
            }
            String key = r.model() + " " + r.sampler();
            perModel.computeIfAbsent(key, k -> new ArrayList<>());
        }
        for (String key : perModel.keySet()) {
            StringBuilder sb = new StringBuilder("- " + key + ": ");
            for (String toy : floors.keySet()) {
                QualityRow best = null;
                for (QualityRow r : rows) {
                    if (r.toy().equals(toy) && (r.model() + " " + r.sampler()).equals(key)
                            && (best == null || r.sw2().median() < best.sw2().median())) {
                        best = r;
                    }
                }
                if (best != null) {
                    sb.append(String.format(Locale.ROOT, "%s %.1f× @%d NFE (MMD² %s); ", toy,
                            best.sw2().median() / floors.get(toy), best.nfe(), Stats.fmt(best.mmd().median())));
                }
            }
            report.line(sb.toString());
            report.headline("quality " + sb.substring(2));
        }
        report.line("");
    }

    // ---------------------------------------------------------------- 6. scale

    private void scale() {
        int[] ns = Arrays.stream(new int[] {512, 1024, 2048, 4096, 8192}).filter(n -> n <= settings.scaleMaxN())
                .toArray();
        int[] ds = {2, 8, 32, 128, 256};
        report.line("Training: " + settings.scaleSteps() + " steps per point, first 3 dropped, the rest in 3 windows. "
                + "Sampling: N samples (multi-step samplers at 20 steps), " + settings.repeats() + " repeats. "
                + "N sweep at D = 2; D sweep at N = 1024 (standard Gaussian data). A family whose step exceeds "
                + "the per-point time cap skips the larger sizes.\n");
        report.line("| family | N (batch) | D | train ms/step | sample ms (N samples) |");
        report.line("|---|---|---|---|---|");
        List<Plot.Series> trainN = new ArrayList<>();
        List<Plot.Series> sampleN = new ArrayList<>();
        List<Plot.Series> trainD = new ArrayList<>();
        List<Plot.Series> sampleD = new ArrayList<>();
        for (Families.Found f : families) {
            sweep(f, ns, new int[] {2}, trainN, sampleN, true);
            sweep(f, new int[] {1024}, ds, trainD, sampleD, false);
        }
        List<java.awt.image.BufferedImage> panels = List.of(
                Plot.linePanel("training step vs N (D=2)", "N (batch)", "ms / step", true, true, trainN, 560, 400),
                Plot.linePanel("sampling N samples (D=2)", "N", "ms", true, true, sampleN, 560, 400),
                Plot.linePanel("training step vs D (N=1024)", "D", "ms / step", true, true, trainD, 560, 400),
                Plot.linePanel("sampling 1024 samples vs D", "D", "ms", true, true, sampleD, 560, 400));
        Plot.grid(out.resolve("scale.png"), panels, 2);
        report.line("\n![scale](scale.png)\n");
        report.line("On a log-log plot a slope of 1 is linear cost. Below ~1k rows the per-op overhead "
                + "(section 1) dominates and the curves are flat; drifting's field is O(N²) per step.\n");
    }

    private void sweep(Families.Found f, int[] ns, int[] ds, List<Plot.Series> trainSeries,
            List<Plot.Series> sampleSeries, boolean overN) {
        List<Double> xs = new ArrayList<>();
        List<Stats> train = new ArrayList<>();
        List<Stats> sample = new ArrayList<>();
        double capSeconds = settings.quick() ? 30 : 90;
        outer:
        for (int n : ns) {
            for (int d : ds) {
                FloatMatrix x = ToyDistributions.standardGaussian(Math.max(2 * n, 4096), d, 7);
                Timed t;
                try {
                    t = train(f, TrainingData.of(x), budget(settings.scaleSteps(), n), capSeconds, 3);
                } catch (RuntimeException e) {
                    report.line("| " + f.id() + " | " + n + " | " + d + " | failed: `" + e.getMessage() + "` | |");
                    break outer;
                }
                Stats sampleMs;
                try (Generator g = t.generator()) {
                    String sampler = g.samplers().isEmpty() ? null : g.samplers().get(0);
                    Integer steps = sampler == null ? null : 20;
                    g.sample(SampleSpec.of(Math.min(n, 256), 1).withSampler(sampler, steps));
                    double[] ms = new double[settings.repeats()];
                    for (int r = 0; r < ms.length; r++) {
                        long t0 = System.nanoTime();
                        g.sample(SampleSpec.of(n, 10 + r).withSampler(sampler, steps));
                        ms[r] = (System.nanoTime() - t0) / 1e6;
                    }
                    sampleMs = Stats.of(ms);
                }
                Stats trainMs = t.stepsPerSecond().inverse().times(1000);
                report.line("| " + f.id() + " | " + n + " | " + d + " | " + trainMs.show() + " | " + sampleMs.show()
                        + " |");
                report.flush();
                xs.add((double) (overN ? n : d));
                train.add(trainMs);
                sample.add(sampleMs);
                if (t.capped()) {
                    report.line("| " + f.id() + " | larger sizes skipped: time cap " + capSeconds + " s reached | | | |");
                    break outer;
                }
            }
        }
        double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
        trainSeries.add(Plot.Series.withSpread(f.id(), xa, train.toArray(Stats[]::new)));
        sampleSeries.add(Plot.Series.withSpread(f.id(), xa, sample.toArray(Stats[]::new)));
    }

    // ---------------------------------------------------------------- helpers

    /** A trained generator and its training speed (steps/s over 3 windows after warm-up). */
    record Timed(Generator generator, Stats stepsPerSecond, boolean capped) {}

    private Timed train(Families.Found f, TrainingData data, Map<String, Object> budget, double capSeconds) {
        int steps = (Integer) budget.get("steps");
        return train(f, data, budget, capSeconds, Math.max(2, steps / 5));
    }

    private Timed train(Families.Found f, TrainingData data, Map<String, Object> budget, double capSeconds,
            int warmup) {
        Object config = f.family().resolve(Families.config(f.family(), budget), data);
        StepClock clock = new StepClock(System.nanoTime() + (long) (capSeconds * 1e9));
        Generator g;
        try {
            g = f.family().train(data, config, clock);
        } catch (TrainingCancelledException e) {
            throw new IllegalStateException(f.id() + " exceeded the time cap of " + capSeconds + " s after "
                    + clock.times.size() + " steps");
        }
        return new Timed(g, clock.windows(warmup), clock.cancelled);
    }

    /** Records the time of every reported step; cancels when the time cap passes. */
    private static final class StepClock implements TrainingContext {
        final List<Long> times = new ArrayList<>();
        final long deadline;
        boolean cancelled;

        StepClock(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public void report(TrainingProgress progress) {
            times.add(System.nanoTime());
        }

        @Override
        public boolean cancelRequested() {
            if (System.nanoTime() > deadline && times.size() >= 6) {
                cancelled = true;
            }
            return false; // never cancel mid-run: the generator is needed; the cap only stops the sweep
        }

        @Override
        public Optional<CheckpointStore> checkpoints() {
            return Optional.empty();
        }

        Stats windows(int warmup) {
            int first = Math.min(warmup, Math.max(0, times.size() - 4));
            int usable = times.size() - 1 - first;
            double[] rates = new double[3];
            for (int w = 0; w < 3; w++) {
                int a = first + w * usable / 3;
                int b = first + (w + 1) * usable / 3;
                rates[w] = (b - a) / ((times.get(b) - times.get(a)) / 1e9);
            }
            return Stats.of(rates);
        }
    }

    /** Per-feature standardisation fitted on the matrix itself. */
    static FloatMatrix standardise(FloatMatrix x) {
        return Standardizer.fit(x).forward(x);
    }

    /** Reads the first rows of the Fashion-MNIST training images (IDX, gzip or not) scaled to [0, 1]. */
    static final class FashionMnist {
        static Optional<FloatMatrix> read(Path dir, int maxRows) {
            for (String name : List.of("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte")) {
                Path p = dir.resolve(name);
                if (Files.isReadable(p)) {
                    try (InputStream raw = Files.newInputStream(p);
                            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                                    name.endsWith(".gz") ? new GZIPInputStream(raw) : raw))) {
                        if (in.readInt() != 0x803) {
                            return Optional.empty();
                        }
                        int n = Math.min(in.readInt(), maxRows);
                        int h = in.readInt();
                        int w = in.readInt();
                        byte[] bytes = new byte[n * h * w];
                        in.readFully(bytes);
                        float[] f = new float[bytes.length];
                        for (int i = 0; i < f.length; i++) {
                            f[i] = (bytes[i] & 0xff) / 255f;
                        }
                        return Optional.of(new FloatMatrix(f, n, h * w));
                    } catch (IOException e) {
                        System.out.println("[bench] cannot read " + p + ": " + e);
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Machine facts for the report header. */
    static final class Machine {
        static String cpuModel() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }

        static String loadAverage() {
            try {
                String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return p[0] + " " + p[1] + " " + p[2];
            } catch (IOException e) {
                return "unknown";
            }
        }

        static String now() {
            return ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        }

        static String engine() {
            try {
                Engine e = Engine.getInstance();
                return e.getEngineName() + " " + e.getVersion();
            } catch (RuntimeException e) {
                return "engine failed: " + e.getMessage();
            }
        }
    }
}
