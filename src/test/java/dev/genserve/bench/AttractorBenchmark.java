package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.attractor.AttractorConfig;
import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.attractor.AttractorGenerator;
import dev.genserve.generative.attractor.AttractorProcess;
import dev.genserve.generative.attractor.GaussianPrior;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.processes.SnapshotStripEncoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attractor against VP diffusion on every hard toy, with the same score network, optimiser and budget
 * ({@link VpReference}), scored by {@link QualityReport} on 2000 samples against 2000 held-out points (floor: a second
 * real sample): per toy, the reverse-SDE Euler–Maruyama sampler of both at every step count of {@code -Dgrid}
 * (steps stability), the terminal distribution's distance to the attractor's fitted prior, and the samples kept for
 * the pictures. One toy per invocation ({@code -Dtoy}, results under {@code -Dout}), then {@code -Dassemble=true}
 * writes the markdown table and docs/img/attractor_vs_vp.png from every toy found.
 * <pre>
 * java … dev.genserve.bench.AttractorBenchmark -Dtoy=grid -Dsteps=4000 -Dhidden=128 -Dbatch=256 -Dout=bench-report/attractor
 * java … dev.genserve.bench.AttractorBenchmark -Dassemble=true -Dout=bench-report/attractor -Dimg=docs/img
 * </pre>
 */
public final class AttractorBenchmark {

    private AttractorBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(System.getProperty("out", "bench-report/attractor"));
        Files.createDirectories(out);
        if (Boolean.getBoolean("assemble")) {
            assemble(out, Path.of(System.getProperty("img", "docs/img")));
            return;
        }
        String toy = System.getProperty("toy", "grid");
        int[] grid = java.util.Arrays.stream(System.getProperty("grid", "20,50,100,200,500").split(","))
                .mapToInt(Integer::parseInt).toArray();
        AttractorToys split = AttractorToys.of(toy);
        AttractorFamily family = new AttractorFamily();
        AttractorConfig config = family.resolve(AttractorConfig.defaults()
                .withNetwork(Integer.getInteger("hidden"), Integer.getInteger("depth"), null, null)
                .withTraining(Integer.getInteger("steps"), Integer.getInteger("batch"), null, null, null),
                TrainingData.of(split.train()));
        List<String> lines = new ArrayList<>();
        lines.add("config " + config);
        long t0 = System.nanoTime();
        try (AttractorGenerator g = family.train(TrainingData.of(split.train()), config,
                new AttractorLab.Printer(config.steps()))) {
            lines.add(String.format(Locale.ROOT, "attractor trained in %.0f s", (System.nanoTime() - t0) / 1e9));
            for (int steps : grid) {
                FloatMatrix x = g.sample(SampleSpec.of(AttractorToys.EVAL_ROWS, 7).withSampler("reverse-sde", steps))
                        .samples();
                lines.add(row(toy, "attractor", steps, split.score(x)));
                write(out.resolve(toy + "-attractor-" + steps + ".bin"), split.standardizer().inverse(x));
                System.out.println(lines.get(lines.size() - 1));
            }
            lines.add(priorDistance(split, config, g.prior()));
            System.out.println(lines.get(lines.size() - 1));
            if (toy.equals(System.getProperty("stripToy", "pinwheel"))) {
                strips(split, config, g, Path.of(System.getProperty("img", "docs/img")));
            }
        }
        t0 = System.nanoTime();
        try (VpReference vp = new VpReference(split.train(), config, new AttractorLab.Printer(config.steps()))) {
            lines.add(String.format(Locale.ROOT, "vp trained in %.0f s", (System.nanoTime() - t0) / 1e9));
            for (int steps : grid) {
                FloatMatrix x = vp.sample(AttractorToys.EVAL_ROWS, 7, "euler-maruyama", steps);
                lines.add(row(toy, "vp", steps, split.score(x)));
                write(out.resolve(toy + "-vp-" + steps + ".bin"), split.standardizer().inverse(x));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        Files.write(out.resolve(toy + ".txt"), lines);
    }

    /** "row toy model steps nn1 mmd0.1 floor ratio coverage precision recall". */
    private static String row(String toy, String model, int steps, QualityReport q) {
        QualityReport.Metric mmd = q.metric("mmd2_bw0.1");
        return String.format(Locale.ROOT, "row %s %s %d %.4f %.6f %.6f %.3f %.4f %.4f %.4f", toy, model, steps,
                q.metric("nn1_accuracy").value(), mmd.value(), mmd.floor(), mmd.ratio(), q.metric("coverage").value(),
                q.metric("precision").value(), q.metric("recall").value());
    }

    /**
     * The end state of a fresh simulation (another subsample and seed) against the fitted prior: 1-NN accuracy and
     * mmd2_bw0.1 (floor: prior vs prior), next to the data against the same prior.
     */
    private static String priorDistance(AttractorToys split, AttractorConfig c, GaussianPrior prior) {
        FloatMatrix start = split.train().slice(5000, 5000 + 1024);
        FloatMatrix end = AttractorProcess.simulate(start, c.process(), 1, 12345).end();
        FloatMatrix a = prior.sample(1024, new RandomSource(1));
        FloatMatrix b = prior.sample(1024, new RandomSource(2));
        QualityReport endVsPrior = QualityReport.evaluate(end, a, b);
        QualityReport dataVsPrior = QualityReport.evaluate(split.train().slice(0, 1024), a, b);
        return String.format(Locale.ROOT, "prior %s end-vs-prior nn1=%.3f mmd0.1=%.6f (floor %.6f) data-vs-prior "
                + "nn1=%.3f mmd0.1=%.6f; prior mean %s cov %s", split.toy(),
                endVsPrior.metric("nn1_accuracy").value(), endVsPrior.metric("mmd2_bw0.1").value(),
                endVsPrior.metric("mmd2_bw0.1").floor(), dataVsPrior.metric("nn1_accuracy").value(),
                dataVsPrior.metric("mmd2_bw0.1").value(), fmt(prior.mean()), fmt2(prior.covariance()));
    }

    /** Forward (POST /processes/simulate) and reverse (trajectory request) strips, as the API draws them. */
    private static void strips(AttractorToys split, AttractorConfig c, AttractorGenerator g, Path img)
            throws IOException {
        Files.createDirectories(img);
        FloatMatrix start = split.train().slice(0, 1500);
        var forward = AttractorProcess.simulate(start, c.process(), 6, 3).snapshots();
        Files.write(img.resolve("attractor_forward_" + split.toy() + ".png"), SnapshotStripEncoder.encode(forward,
                "attractor forward process on " + split.toy() + ", n = 1500 (standardised units)"));
        SampleResult reverse = g.sample(SampleSpec.of(1500, 3).withSampler("reverse-sde", 100).withTrajectory(6));
        Files.write(img.resolve("attractor_reverse_" + split.toy() + ".png"), SnapshotStripEncoder.encode(
                reverse.trajectory(), "attractor reverse process (reverse-sde, 100 steps), n = 1500"));
    }

    private static void assemble(Path out, Path img) throws IOException {
        Map<String, List<String[]>> rows = new LinkedHashMap<>();
        List<String> priors = new ArrayList<>();
        for (String toy : ToyDistributions.HARD) {
            Path f = out.resolve(toy + ".txt");
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("row ")) {
                    rows.computeIfAbsent(toy, k -> new ArrayList<>()).add(line.split(" "));
                } else if (line.startsWith("prior ")) {
                    priors.add(line);
                }
            }
        }
        StringBuilder md = new StringBuilder("| toy | steps | attractor 1-NN | VP 1-NN | attractor mmd2_bw0.1 (×floor) "
                + "| VP mmd2_bw0.1 (×floor) | ratio A/VP | attractor coverage | VP coverage | attractor precision "
                + "| VP precision |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<String[]>> e : rows.entrySet()) {
            Map<String, String[]> byKey = new LinkedHashMap<>();
            for (String[] r : e.getValue()) {
                byKey.put(r[2] + "-" + r[3], r);
            }
            for (String[] a : e.getValue()) {
                if (!a[2].equals("attractor")) {
                    continue;
                }
                String[] v = byKey.get("vp-" + a[3]);
                if (v == null) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.5f (%s) | %.5f (%s) | %.2f | %s | %s | %s | %s |%n",
                        e.getKey(), a[3], a[4], v[4], Double.parseDouble(a[5]), a[7], Double.parseDouble(v[5]), v[7],
                        Double.parseDouble(a[5]) / Double.parseDouble(v[5]), a[8], v[8], a[9], v[9]));
            }
        }
        md.append('\n');
        priors.forEach(p -> md.append("- ").append(p).append('\n'));
        Files.writeString(out.resolve("attractor_vs_vp.md"), md);
        System.out.println(md);
        List<String> toys = new ArrayList<>(rows.keySet());
        String[] cols = {"held-out data", "attractor 100 steps", "attractor 500 steps", "VP 100 steps", "VP 500 steps"};
        String[] files = {null, "attractor-100", "attractor-500", "vp-100", "vp-500"};
        FloatMatrix[][] cells = new FloatMatrix[toys.size()][cols.length];
        for (int r = 0; r < toys.size(); r++) {
            cells[r][0] = AttractorToys.of(toys.get(r)).heldOut();
            for (int c = 1; c < cols.length; c++) {
                Path f = out.resolve(toys.get(r) + "-" + files[c] + ".bin");
                cells[r][c] = Files.exists(f) ? read(f) : null;
            }
        }
        Files.createDirectories(img);
        Plot.scatterGrid(img.resolve("attractor_vs_vp.png"), "Attractor vs VP diffusion, same network and budget "
                + "(reverse-SDE Euler–Maruyama)", toys.toArray(String[]::new), cols, cells, 3.2);
    }

    static void write(Path file, FloatMatrix m) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(m.rows());
            out.writeInt(m.cols());
            for (float v : m.data()) {
                out.writeFloat(v);
            }
        }
    }

    static FloatMatrix read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int rows = in.readInt();
            int cols = in.readInt();
            float[] data = new float[rows * cols];
            for (int i = 0; i < data.length; i++) {
                data[i] = in.readFloat();
            }
            return new FloatMatrix(data, rows, cols);
        }
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(String.format(Locale.ROOT, i == 0 ? "%.3f" : ", %.3f", v[i]));
        }
        return sb.append(')').toString();
    }

    private static String fmt2(double[][] m) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < m.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(fmt(m[i]));
        }
        return sb.append(']').toString();
    }
}
