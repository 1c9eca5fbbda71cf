package dev.genserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.drifting.DriftField;
import dev.genserve.generative.drifting.DriftingConfig;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.drifting.DriftingGenerator;
import dev.genserve.generative.drifting.DriftingTrainer;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import dev.genserve.sampling.NpyEncoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drifting benchmarks (the family's own driver; the suite-wide numbers are BenchmarkSuite's).
 * <ul>
 *   <li>{@code speed}: the matmul ceiling; the drift field at 1,024 generated × 1,024 positives on 2-D (fast path,
 *       and the dense published-style path for comparison); training steps/s at the default 2-D config; 10,000
 *       one-step samples; a Fashion-MNIST training step of the default image recipe. Each figure is given in
 *       wall-clock and in CPU time of the process, and as a fraction of the matmul ceiling for the FLOPs it
 *       counts.</li>
 *   <li>{@code fashion OUT_DIR STEPS}: class-conditional Fashion-MNIST with {@code -Ddrifting.config='{...}'}
 *       over the image defaults; writes samples.png (one row per class), samples.npy (1,000 samples, 100 per class
 *       in data units [−1, 1]), loss.csv and a summary line with wall and CPU time.</li>
 * </ul>
 * Run with one intra-op thread for comparable CPU times, or two for the 2-core wall-clock goals.
 */
public final class DriftingBenchmark {

    private DriftingBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("speed")) {
            speed();
        } else if (args[0].equals("fashion")) {
            Path out = Path.of(args.length > 1 ? args[1] : "target/drifting-fashion");
            int steps = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
            fashion(out, steps);
        } else if (args[0].equals("judge")) {
            rejudge(Path.of(args[1]), Arrays.stream(args[2].split(",")).mapToDouble(Double::parseDouble).toArray());
        } else {
            throw new IllegalArgumentException("usage: DriftingBenchmark [speed | fashion OUT_DIR STEPS | judge OUT_DIR "
                    + "GUIDANCE,...]");
        }
    }

    /** Wall and process CPU seconds of a piece of work. */
    record Timing(double wall, double cpu) {
        static Timing of(Runnable work) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            work.run();
            return new Timing((System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
        }

        Timing per(double n) {
            return new Timing(wall / n, cpu / n);
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Timing median(int repeats, Runnable work) {
        Timing[] t = new Timing[repeats];
        for (int r = 0; r < repeats; r++) {
            t[r] = Timing.of(work);
        }
        double[] wall = Arrays.stream(t).mapToDouble(Timing::wall).sorted().toArray();
        double[] cpu = Arrays.stream(t).mapToDouble(Timing::cpu).sorted().toArray();
        return new Timing(wall[repeats / 2], cpu[repeats / 2]);
    }

    private static void print(String what, Timing t, double flops, double ceiling) {
        System.out.printf(Locale.ROOT, "| %s | %.2f ms | %.2f ms | %s |%n", what, t.wall() * 1e3, t.cpu() * 1e3,
                flops > 0 ? String.format(Locale.ROOT, "%.1f%%", 100 * flops / t.wall() / 1e9 / ceiling) : "-");
    }

    /**
     * The speed table; {@code -Dspeed.fashion=false} skips the Fashion-MNIST steps, {@code -Dspeed.configs} (a JSON
     * list of config overrides, default the default generator and codebook 0) picks the 2-D generators timed.
     */
    public static void speed() throws IOException {
        double ceiling;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(2048, 2048));
            Timing t = median(7, () -> {
                try (NDScope ignored = new NDScope()) {
                    a.matMul(a).getFloat(0, 0);
                }
            });
            ceiling = 2.0 * 2048 * 2048 * 2048 / t.wall() / 1e9;
        }
        System.out.printf(Locale.ROOT, "matmul ceiling (2048² fp32): %.1f GFLOP/s, %d intra-op threads%n", ceiling,
                ai.djl.pytorch.jni.JniUtils.getNumThreads());
        System.out.println("| what | wall | process CPU | of ceiling |");
        System.out.println("|---|---|---|---|");
        int n = 1024;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ToyDistributions.standardGaussian(n, 2, 1).toNd(m);
            NDArray y = ToyDistributions.eightGaussians(n, 2).toNd(m);
            for (double clamp : new double[] {0, 1e-6}) {
                DriftField field = new DriftField(DriftingFamily.DEFAULT_TEMPERATURES, clamp);
                Timing t = median(11, () -> {
                    try (NDManager s = m.newSubManager(); NDScope ignored = new NDScope()) {
                        NDArray xs = x.duplicate();
                        xs.attach(s);
                        field.compute(xs, y).drift().toFloatArray();
                    }
                });
                print("drift field 1024 × (1024 + 1024), 2-D, 3 τ, " + (clamp == 0 ? "fast path" : "dense (clamp)"),
                        t, 0, ceiling);
            }
        }
        TrainingData toy = TrainingData.of(Standardizer.fit(ToyDistributions.eightGaussians(20000, 1))
                .forward(ToyDistributions.eightGaussians(20000, 1)));
        // by default the default generator and the plain MLP (codebook 0), one after the other; -Dspeed.configs
        // takes a JSON list of config overrides instead
        DriftingConfig[] variants = JsonMapper.builder().build().readValue(
                System.getProperty("speed.configs", "[{}, {\"codebook\": 0}]"), DriftingConfig[].class);
        for (DriftingConfig variant : variants) {
            DriftingConfig c = new DriftingFamily().resolve(variant.withSteps(120), toy);
            String generator = "codebook " + c.codebook() + ", MLP " + c.depth() + "×" + c.hidden() + ", τ "
                    + c.temperatures();
            double[] stepTimes = trainSteps(toy, c);
            Timing step = new Timing(stepTimes[0], stepTimes[1]);
            print("training step, 2-D, 1024 generated × 1024 positives, " + generator
                    + "), steps 21–120", step, mlpFlops(c, 3), ceiling);
            System.out.printf(Locale.ROOT, "  = %.1f steps/s wall%n", 1 / step.wall());
            try (DriftingGenerator g = DriftingTrainer.train(toy, c.withSteps(1), TrainingContext.simple(), null)) {
                g.sample(SampleSpec.of(10_000, 0));
                Timing t = median(21, () -> g.sample(SampleSpec.of(10_000, 7)));
                print("10,000 one-step 2-D samples (noise + forward + copy, " + generator + ")", t,
                        mlpFlops(c, 1) * 10_000 / c.generated(), ceiling);
            }
        }
        if (FashionMnist.available(FashionMnist.DEFAULT_DIR) && !"false".equals(System.getProperty("speed.fashion"))) {
            TrainingData images = fashionData(10_000).data();
            for (String recipe : new String[] {"default", "256"}) {
                DriftingConfig base = recipe.equals("256") ? DriftingConfig.defaults().withBatch(256, 256)
                        : DriftingConfig.defaults();
                DriftingConfig ic = new DriftingFamily().resolve(base.withSteps(25), images);
                double[] t = trainSteps(images, ic);
                print("Fashion-MNIST step, " + describe(ic) + ", steps 21–25", new Timing(t[0], t[1]), 0, ceiling);
            }
        }
    }

    private static String describe(DriftingConfig c) {
        return String.format(Locale.ROOT, "%s %s, %s, %d generated × %d positives, %d classes", c.architecture(),
                c.architecture().equals("mlp") ? c.depth() + "×" + c.hidden() : "ch " + Math.max(8, c.hidden() / 8),
                c.featureMaps(), c.generated(), c.positives(), c.numClasses());
    }

    /** FLOPs of the generator's dense layers for one batch of generated rows (passes = 3 for forward + backward). */
    static double mlpFlops(DriftingConfig c, int passes) {
        int in = c.noiseDim() + 2 * c.fourierFeatures() + (c.numClasses() > 0 ? c.numClasses() + 1 : 0);
        double macs = (double) in * c.hidden() + (double) (c.depth() - 1) * c.hidden() * c.hidden()
                + (double) c.hidden() * c.dimension();
        return passes * 2.0 * c.generated() * macs;
    }

    /** Median wall and CPU seconds per step after the first 20 steps. */
    private static double[] trainSteps(TrainingData data, DriftingConfig c) {
        List<long[]> marks = new ArrayList<>();
        TrainingContext context = new TrainingContext() {
            @Override
            public void report(TrainingProgress p) {
                marks.add(new long[] {p.step(), System.nanoTime(), cpuNanos()});
            }
        };
        DriftingTrainer.train(data, c, context, null).close();
        long[] from = marks.get(19);
        long[] to = marks.get(marks.size() - 1);
        double steps = to[0] - from[0];
        return new double[] {(to[1] - from[1]) / 1e9 / steps, (to[2] - from[2]) / 1e9 / steps};
    }

    /** The first {@code limit} Fashion-MNIST training images ([−1, 1]) with labels, and their standardiser. */
    record Images(TrainingData data, Standardizer standardizer) {}

    static Images fashionData(int limit) throws IOException {
        FashionMnist train = FashionMnist.read(FashionMnist.DEFAULT_DIR, false, limit);
        Standardizer standardizer = Standardizer.fit(train.images(), true);
        return new Images(new TrainingData(standardizer.forward(train.images()), train.labels(), 10,
                new int[] {1, FashionMnist.SIDE, FashionMnist.SIDE}), standardizer);
    }

    /** A class-conditional Fashion-MNIST run: grid, samples (data units), loss curve, wall and CPU time. */
    public static void fashion(Path out, int steps) throws IOException {
        Images images = fashionData(Integer.MAX_VALUE);
        TrainingData data = images.data();
        Standardizer standardizer = images.standardizer();
        JsonMapper json = JsonMapper.builder().build();
        DriftingConfig overrides = json.readValue(System.getProperty("drifting.config", "{}"), DriftingConfig.class);
        DriftingConfig config = new DriftingFamily().resolve(overrides.withSteps(steps), data);
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.json"), json.writeValueAsString(config));
        List<double[]> curve = new ArrayList<>();
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        TrainingContext context = new TrainingContext() {
            @Override
            public void report(TrainingProgress p) {
                curve.add(new double[] {p.step(), p.loss(), p.emaLoss()});
                if (p.step() % 100 == 0) {
                    System.out.printf(Locale.ROOT, "step %d loss %.4f ema %.4f %.2f steps/s cpu %.0f s%n", p.step(),
                            p.loss(), p.emaLoss(), p.stepsPerSecond(), (cpuNanos() - c0) / 1e9);
                }
            }
        };
        try (DriftingGenerator g = DriftingTrainer.train(data, config, context, null)) {
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - c0) / 1e9;
            int perClass = 500;
            double guidance = Double.parseDouble(System.getProperty("drifting.guidance", "1"));
            FloatMatrix samples = classBlocks(perClass, k -> standardizer.inverse(
                    g.sample(SampleSpec.of(perClass, 1000 + k).withClass(k, guidance)).samples()));
            Files.write(out.resolve("samples.npy"), NpyEncoder.encode(samples.data(), new int[] {samples.rows(),
                samples.cols()}));
            writeGrid(samples, perClass, 10, out.resolve("samples.png"));
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("loss.csv")))) {
                w.println("step,loss,ema_loss");
                curve.forEach(c -> w.printf(Locale.ROOT, "%d,%.6f,%.6f%n", (int) c[0], c[1], c[2]));
            }
            g.save(out.resolve("model"));
            String verdict = judge(samples, perClass);
            String summary = String.format(Locale.ROOT, "fashion-mnist conditional, %s, %d steps: %.0f s wall, %.0f s "
                    + "CPU (%d intra-op threads); sampled at guidance %.2f: %s", describe(config), steps, wall, cpu,
                    ai.djl.pytorch.jni.JniUtils.getNumThreads(), guidance, verdict);
            Files.writeString(out.resolve("summary.txt"), summary + "\n");
            System.out.println(summary);
        }
    }

    /** Loads the model a {@code fashion} run saved and judges its samples at each guidance scale. */
    static void rejudge(Path out, double[] guidances) throws IOException {
        Standardizer standardizer = fashionData(Integer.MAX_VALUE).standardizer();
        DriftingConfig config = JsonMapper.builder().build().readValue(Files.readString(out.resolve("config.json")),
                DriftingConfig.class);
        try (var g = new DriftingFamily().load(out.resolve("model"), config, ai.djl.Device.cpu())) {
            for (double guidance : guidances) {
                int perClass = 500;
                FloatMatrix samples = classBlocks(perClass, k -> standardizer.inverse(
                        g.sample(SampleSpec.of(perClass, 1000 + k).withClass(k, guidance)).samples()));
                writeGrid(samples, perClass, 10, out.resolve(String.format(Locale.ROOT, "samples-g%.2f.png",
                        guidance)));
                System.out.printf(Locale.ROOT, "guidance %.2f: %s%n", guidance, judge(samples, perClass));
            }
        }
    }

    /** The judge's verdict on class-blocked samples (data units), or a note when the dataset is absent. */
    static String judge(FloatMatrix samples, int perClass) {
        int[] intended = new int[samples.rows()];
        for (int i = 0; i < intended.length; i++) {
            intended[i] = i / perClass;
        }
        Optional<FashionMnistJudge> judge = FashionMnistJudge.loadOrTrain();
        if (judge.isEmpty()) {
            return "no judge (dataset missing)";
        }
        try (FashionMnistJudge j = judge.get()) {
            return j.judge(samples, intended).toString();
        }
    }

    /** Rows class by class: class k in rows [k·perClass, (k+1)·perClass). */
    static FloatMatrix classBlocks(int perClass, IntFunction<FloatMatrix> sampler) {
        float[] all = new float[10 * perClass * 784];
        for (int k = 0; k < 10; k++) {
            FloatMatrix s = sampler.apply(k);
            System.arraycopy(s.data(), 0, all, k * perClass * 784, perClass * 784);
        }
        return new FloatMatrix(all, 10 * perClass, 784);
    }

    /** A grid of {@code perRow} images per class (rows = classes), data units [−1, 1], 2× scale. */
    static void writeGrid(FloatMatrix samples, int perClass, int perRow, Path file) throws IOException {
        int scale = 2;
        BufferedImage image = new BufferedImage(perRow * 28 * scale, 10 * 28 * scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < 10; k++) {
            for (int i = 0; i < perRow; i++) {
                int row = k * perClass + i;
                for (int py = 0; py < 28 * scale; py++) {
                    for (int px = 0; px < 28 * scale; px++) {
                        float v = samples.get(row, (py / scale) * 28 + px / scale);
                        int grey = Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
                        image.getRaster().setSample(i * 28 * scale + px, k * 28 * scale + py, 0, grey);
                    }
                }
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
