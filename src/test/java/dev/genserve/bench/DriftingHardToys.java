package dev.genserve.bench;

import dev.genserve.datasets.DatasetLimits;
import dev.genserve.datasets.NpyDatasetParser;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.drifting.DriftingConfig;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.sampling.NpyEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drifting on the hard 2-D toys: genserve against the plain PyTorch reference ({@code scripts/peer/drifting.py}) at
 * the same budget, config and standardised training split, both scored by {@link QualityReport} against held-out
 * data, next to the fitted-Gaussian baseline, with a scatter grid (data | genserve | reference | Gaussian).
 *
 * <p>Usage: {@code DriftingHardToys OUT_DIR STEPS [toy,toy,...]} with {@code -Ddrifting.config='{...}'} (config
 * keys over the family defaults), {@code -Dpeer=false} to skip the reference, {@code -Dpeer.clamp=0} to run it without the published clamp, {@code -Dtrain.rows=20000},
 * {@code -Dpython=/usr/bin/python3}, {@code -Dgenserve=false} to run the reference only (the genserve column then shows
 * the fitted Gaussian). Split: training rows seed 1, held-out 2,000 rows seed 2, 2,000 samples seed 3.
 */
public final class DriftingHardToys {

    private static final int EVAL_ROWS = 2000;

    private DriftingHardToys() {}

    /** One toy's outcome. */
    record Outcome(String toy, QualityReport genserve, QualityReport peer, QualityReport gaussian, double seconds,
            FloatMatrix held, FloatMatrix samples, FloatMatrix peerSamples, FloatMatrix gaussianSamples) {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/drifting-toys");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        List<String> toys = args.length > 2 ? List.of(args[2].split(",")) : ToyDistributions.HARD;
        JsonMapper json = JsonMapper.builder().build();
        DriftingConfig overrides = json.readValue(System.getProperty("drifting.config", "{}"), DriftingConfig.class);
        boolean peer = !"false".equals(System.getProperty("peer"));
        int trainRows = Integer.getInteger("train.rows", 20000);
        Files.createDirectories(out);
        List<Outcome> outcomes = new ArrayList<>();
        for (String toy : toys) {
            Outcome o = run(toy, overrides.withSteps(steps), trainRows, peer, out, json);
            outcomes.add(o);
            System.out.printf(Locale.ROOT, "[%s] done in %.0f s: %s%n", toy, o.seconds(), o.genserve().summary());
        }
        FloatMatrix[][] cells = new FloatMatrix[outcomes.size()][];
        String[] rowLabels = new String[outcomes.size()];
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            rowLabels[i] = o.toy();
            cells[i] = new FloatMatrix[] {o.held(), o.samples(), o.peerSamples(), o.gaussianSamples()};
        }
        Plot.scatterGrid(out.resolve("grid.png"), "drifting, " + steps + " steps: " + System.getProperty(
                "drifting.config", "{}"), rowLabels,
                new String[] {"held-out data", "genserve (1 NFE)", "plain PyTorch reference", "fitted Gaussian"},
                cells, 3.0);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("toy", o.toy());
            r.put("steps", steps);
            r.put("seconds", o.seconds());
            r.put("genserve", o.genserve().toMap());
            r.put("reference", o.peer() == null ? null : o.peer().toMap());
            r.put("gaussian", o.gaussian().toMap());
            rows.add(r);
        }
        Files.writeString(out.resolve("results.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        System.out.println("| toy | model | mmd2_bw0.1 ×floor | 1-NN (floor) | coverage (floor) | precision (floor) "
                + "| recall | modes |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Outcome o : outcomes) {
            line(o.toy(), "genserve", o.genserve());
            if (o.peer() != null) {
                line(o.toy(), "reference", o.peer());
            }
            line(o.toy(), "gaussian", o.gaussian());
        }
    }

    private static void line(String toy, String model, QualityReport q) {
        String modes = q.metrics().stream().anyMatch(m -> m.name().equals("modes_covered"))
                ? String.format(Locale.ROOT, "%.0f/%.0f", q.metric("modes_covered").value(),
                        q.metric("modes_covered").ideal()) : "-";
        System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.3f (%.3f) | %.3f (%.3f) | %.3f (%.3f) | %.3f | %s |%n",
                toy, model, q.metric("mmd2_bw0.1").ratio(), q.metric("nn1_accuracy").value(),
                q.metric("nn1_accuracy").floor(), q.metric("coverage").value(), q.metric("coverage").floor(),
                q.metric("precision").value(), q.metric("precision").floor(), q.metric("recall").value(), modes);
    }

    static Outcome run(String toy, DriftingConfig config, int trainRows, boolean peer, Path out, JsonMapper json)
            throws IOException, InterruptedException {
        ToyDistributions.Labeled train = ToyDistributions.labeledOrEmpty(toy, trainRows, 1).orElseThrow();
        ToyDistributions.Labeled held = ToyDistributions.labeledOrEmpty(toy, EVAL_ROWS, 2).orElseThrow();
        int classes = ToyDistributions.numClasses(toy);
        Standardizer standardizer = Standardizer.fit(train.points());
        TrainingData data = TrainingData.of(standardizer.forward(train.points()));
        DriftingConfig resolved = new DriftingFamily().resolve(config, data);
        Process process = peer ? startPeer(toy, data, resolved, out, json) : null;
        long t0 = System.nanoTime();
        FloatMatrix samples = Baselines.fittedGaussian(train.points(), EVAL_ROWS, 5);
        if (!"false".equals(System.getProperty("genserve"))) {
            try (var g = new DriftingFamily().train(data, resolved, TrainingContext.simple())) {
                samples = standardizer.inverse(g.sample(SampleSpec.of(EVAL_ROWS, 3)).samples());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        FloatMatrix peerSamples = null;
        if (process != null) {
            peerSamples = finishPeer(process, toy, out, standardizer);
        }
        FloatMatrix gaussian = Baselines.fittedGaussian(train.points(), EVAL_ROWS, 5);
        QualitySettings settings = QualitySettings.DEFAULT;
        return new Outcome(toy, report(samples, held, classes, train, settings),
                peerSamples == null ? null : report(peerSamples, held, classes, train, settings),
                report(gaussian, held, classes, train, settings), seconds, held.points(), samples, peerSamples,
                gaussian);
    }

    private static QualityReport report(FloatMatrix samples, ToyDistributions.Labeled held, int classes,
            ToyDistributions.Labeled train, QualitySettings settings) {
        return QualityReport.evaluate(samples, held.points(), held.labels(), classes, train.points(), settings);
    }

    private static Process startPeer(String toy, TrainingData data, DriftingConfig resolved, Path out,
            JsonMapper json) throws IOException {
        Path dir = Files.createDirectories(out.resolve("peer-" + toy));
        FloatMatrix rows = data.rows();
        Files.write(dir.resolve("train.npy"), NpyEncoder.encode(rows.data(), new int[] {rows.rows(), rows.cols()}));
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(resolved));
        List<String> command = new ArrayList<>(List.of(System.getProperty("python", "/usr/bin/python3"),
                "scripts/peer/drifting.py", "--train", dir.resolve("train.npy").toString(), "--out",
                dir.resolve("samples.npy").toString(), "--steps", Integer.toString(resolved.steps()), "--n",
                Integer.toString(EVAL_ROWS), "--seed", "0", "--config", dir.resolve("config.json").toString(),
                "--threads", "1"));
        String clamp = System.getProperty("peer.clamp");
        if (clamp != null) {
            command.addAll(List.of("--clamp", clamp));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static FloatMatrix finishPeer(Process process, String toy, Path out, Standardizer standardizer)
            throws IOException, InterruptedException {
        Path dir = out.resolve("peer-" + toy);
        if (!process.waitFor(6, TimeUnit.HOURS) || process.exitValue() != 0) {
            throw new IllegalStateException("reference failed, see " + dir.resolve("log.txt"));
        }
        FloatMatrix standardised = new NpyDatasetParser(DatasetLimits.DEFAULT)
                .parse(Files.readAllBytes(dir.resolve("samples.npy"))).rows();
        return standardizer.inverse(standardised);
    }
}
