package dev.genserve.bench;

import static dev.genserve.bench.BenchTraining.DEPTH;
import static dev.genserve.bench.BenchTraining.HIDDEN;
import static dev.genserve.bench.BenchTraining.TIME_FEATURES;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Sections 2–3: training throughput at the reference config (2-D and Fashion-MNIST), then sampling latency and
 * throughput of the trained generators vs N and vs NFE. */
final class ThroughputSection extends BenchSection {

    private final double matmulCeiling;

    static final int REF_BATCH = 1024;
    static final int[] NFE_GRID = {10, 30, 100, 300};
    static final int[] SAMPLE_N = {1, 100, 10_000};
    static final int SWEEP_STEPS = 50;

    ThroughputSection(BenchContext context, double matmulCeiling) {
        super(context);
        this.matmulCeiling = matmulCeiling;
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

    void run() {
        if (Double.isNaN(matmulCeiling)) {
            report.line("_(section 1 not run: no ceiling to compare against)_\n");
        }
        FloatMatrix raw = ToyDistributions.eightGaussians(20_000, 1L);
        FloatMatrix toy = Standardizer.fit(raw).forward(raw);
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
                BenchTraining.Timed t = BenchTraining.train(f, data,
                        BenchTraining.referenceBudget(settings.throughputSteps(), REF_BATCH), 600);
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
        if (!FashionMnist.available(FashionMnist.DEFAULT_DIR)) {
            String msg = FashionMnist.missing(FashionMnist.DEFAULT_DIR) + ": image config skipped.";
            System.out.println("[bench] " + msg);
            report.line(msg + "\n");
            return;
        }
        FloatMatrix images;
        try {
            images = FashionMnist.read(FashionMnist.DEFAULT_DIR, false, settings.quick() ? 2000 : 10_000).images();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FloatMatrix x = Standardizer.fit(images, true).forward(images);
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
                BenchTraining.Timed t = BenchTraining.train(f, data, BenchTraining.referenceBudget(steps, batch),
                        300);
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
}
