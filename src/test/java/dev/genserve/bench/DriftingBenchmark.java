package dev.genserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.IdxReader;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.drifting.DriftField;
import dev.genserve.generative.drifting.DriftingConfig;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.drifting.DriftingGenerator;
import dev.genserve.generative.drifting.DriftingTrainer;
import dev.genserve.generative.train.CheckpointStore;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Drifting benchmarks. (a) {@link #speed}: drift-field cost (2048 generated × 2048 positives, 2-D), training steps/s
 * at the default config, one-step sampling of 10,000 samples (median of repeats). (b) {@link #fashionMnist}: a
 * class-conditional run on Fashion-MNIST that writes samples.png (one row per class), loss.csv and loss.png.
 * Usage: {@code main [speed] [fashion OUT_DIR STEPS]}.
 */
public final class DriftingBenchmark {

    private DriftingBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("speed")) {
            speed().forEach(System.out::println);
        } else if (args[0].equals("fashion")) {
            Path out = Path.of(args.length > 1 ? args[1] : "target/drifting-fashion");
            int steps = args.length > 2 ? Integer.parseInt(args[2]) : 600;
            fashionMnist(Path.of("/usr/share/datasets/fashion-mnist"), out, steps).forEach(System.out::println);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    public static List<Map<String, Object>> speed() {
        List<Map<String, Object>> rows = new ArrayList<>();
        DriftField field = new DriftField(DriftingFamily.DEFAULT_TEMPERATURES);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = ToyDistributions.standardGaussian(2048, 2, 1).toNd(m);
            NDArray y = ToyDistributions.eightGaussians(2048, 2).toNd(m);
            double[] ms = new double[11];
            for (int r = 0; r < ms.length; r++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(s);
                    long t0 = System.nanoTime();
                    field.compute(xs, y).drift().toFloatArray();
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            rows.add(row("drift field 2048x2048 2-D, 3 temperatures", "ms/step", median(ms)));
        }
        TrainingData data = TrainingData.of(ToyDistributions.eightGaussians(20000, 1));
        DriftingFamily family = new DriftingFamily();
        for (int batch : new int[] {1024, 2048}) {
            DriftingConfig c = family.resolve(DriftingConfig.defaults().withSteps(60).withBatch(batch, batch), data);
            long t0 = System.nanoTime();
            try (DriftingGenerator g = DriftingTrainer.train(data, c, TrainingContext.simple(), null)) {
                double secs = (System.nanoTime() - t0) / 1e9;
                rows.add(row("training MLP 3x256, " + batch + " generated + " + batch + " positives", "steps/s",
                        60 / secs));
                if (batch == 1024) {
                    double[] sample = new double[21];
                    for (int r = 0; r < sample.length; r++) {
                        long s0 = System.nanoTime();
                        g.sample(SampleSpec.of(10_000, r));
                        sample[r] = (System.nanoTime() - s0) / 1e6;
                    }
                    rows.add(row("sample 10,000 2-D points, 1 NFE (incl. noise + copy)", "ms", median(sample)));
                }
            }
        }
        return rows;
    }

    private static Map<String, Object> row(String what, String unit, double value) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("family", "drifting");
        r.put("benchmark", what);
        r.put("unit", unit);
        r.put("value", Math.round(value * 100) / 100.0);
        return r;
    }

    /** Class-conditional Fashion-MNIST; returns a message row (skipped when the data set is missing). */
    public static List<Map<String, Object>> fashionMnist(Path dir, Path out, int steps) throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        if (!Files.exists(images) || !Files.exists(labels)) {
            System.out.println("Fashion-MNIST not found under " + dir + ": skipped");
            return List.of();
        }
        IdxReader.IdxArray img = IdxReader.read(images);
        IdxReader.IdxArray lab = IdxReader.read(labels);
        int n = img.count();
        FloatMatrix rows = FloatMatrix.of(IdxReader.imagesAsRows(img, n));
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab.at(i);
        }
        TrainingData data = new TrainingData(rows, y, 10, new int[] {1, 28, 28});
        String arch = System.getProperty("drifting.arch", "mlp");
        DriftingConfig config = new DriftingFamily().resolve(DriftingConfig.defaults().withSteps(steps)
                .withNetwork(Integer.getInteger("drifting.hidden", 512), 3).withBatch(640, 320)
                .withOptimizer(1e-3, 50, 0.995).withArchitecture(arch,
                        List.of(System.getProperty("drifting.maps", "identity,patch-stats").split(","))), data);
        List<double[]> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        TrainingContext context = new TrainingContext() {
            @Override
            public void report(TrainingProgress p) {
                curve.add(new double[] {p.step(), p.loss(), p.emaLoss()});
                if (p.step() % 50 == 0) {
                    System.out.printf("step %d loss %.4f ema %.4f %.2f steps/s%n", p.step(), p.loss(), p.emaLoss(),
                            p.stepsPerSecond());
                }
            }

            @Override
            public boolean cancelRequested() {
                return false;
            }

            @Override
            public Optional<CheckpointStore> checkpoints() {
                return Optional.empty();
            }
        };
        Files.createDirectories(out);
        try (DriftingGenerator g = DriftingTrainer.train(data, config, context, null)) {
            double secs = (System.nanoTime() - t0) / 1e9;
            writeGrid(g, out.resolve("samples.png"));
            writeCurve(curve, out);
            return List.of(row("fashion-mnist conditional " + arch + ", " + steps + " steps", "s", secs));
        }
    }

    private static void writeGrid(DriftingGenerator g, Path file) throws IOException {
        int per = 10;
        int scale = 2;
        BufferedImage image = new BufferedImage(per * 28 * scale, 10 * 28 * scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < 10; k++) {
            FloatMatrix s = g.sample(SampleSpec.of(per, 100 + k).withClass(k, null)).samples();
            for (int i = 0; i < per; i++) {
                for (int py = 0; py < 28 * scale; py++) {
                    for (int px = 0; px < 28 * scale; px++) {
                        float v = s.get(i, (py / scale) * 28 + px / scale);
                        int grey = Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
                        image.getRaster().setSample(i * 28 * scale + px, k * 28 * scale + py, 0, grey);
                    }
                }
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void writeCurve(List<double[]> curve, Path out) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("loss.csv")))) {
            w.println("step,loss,ema_loss");
            for (double[] c : curve) {
                w.printf("%d,%.6f,%.6f%n", (int) c[0], c[1], c[2]);
            }
        }
        int width = 640;
        int height = 360;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = image.createGraphics();
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, width, height);
        double max = curve.stream().mapToDouble(c -> c[1]).max().orElse(1);
        double steps = curve.isEmpty() ? 1 : curve.get(curve.size() - 1)[0];
        gr.setColor(Color.BLACK);
        gr.drawString("raw sum_tau E|V|^2/D per step (grey) and EMA (blue); max " + String.format("%.4f", max),
                10, 15);
        gr.drawLine(40, height - 30, width - 10, height - 30);
        gr.drawLine(40, 25, 40, height - 30);
        for (int series = 1; series <= 2; series++) {
            gr.setColor(series == 1 ? Color.LIGHT_GRAY : Color.BLUE);
            gr.setStroke(new BasicStroke(series == 1 ? 1f : 2f));
            int px = -1;
            int py = -1;
            for (double[] c : curve) {
                int x = 40 + (int) ((width - 50) * c[0] / steps);
                int y = height - 30 - (int) ((height - 55) * c[series] / max);
                if (px >= 0) {
                    gr.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
        gr.dispose();
        ImageIO.write(image, "png", out.resolve("loss.png").toFile());
    }
}
