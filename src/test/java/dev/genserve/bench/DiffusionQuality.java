package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.score.DiffusionGenerator;
import dev.genserve.generative.train.TrainingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Diffusion quality on the toys, through the code path of a training job: 15,000 training rows (seed 1) standardised
 * with their own statistics, the family's resolve/train with the given overrides, 2,000 samples mapped back to data
 * units and scored by {@link QualityReport} against 2,000 held-out rows (seed 2), the training rows as floor. Prints
 * one line per toy and sampler (1-NN, mmd2_bw0.1 ratio, coverage, precision, far outliers = samples whose
 * standardised norm exceeds 1.5× the largest training norm) and writes a scatter grid (data | model | fitted
 * Gaussian) per run.
 * Run (classpath as in {@link DiffusionBenchmark}): {@code java ... dev.genserve.bench.DiffusionQuality
 * pinwheel,rings,grid 4000 out/dir [alsoSampler=pf-ode-heun:100] [key=value ...]} (keys: any DiffusionConfig number
 * or string field, e.g. architecture=mlp preconditioning=epsilon hidden=256).
 */
public final class DiffusionQuality {

    private DiffusionQuality() {}

    public static void main(String[] args) throws Exception {
        String[] toys = args[0].split(",");
        int steps = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("steps", steps);
        String extraSampler = null;
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv[0].equals("alsoSampler")) {
                extraSampler = kv[1];
                continue;
            }
            overrides.put(kv[0], parse(kv[1]));
        }
        String tag = String.join(" ", java.util.Arrays.copyOfRange(args, 3, args.length));
        for (String toy : toys) {
            run(toy, overrides, extraSampler, tag, out);
        }
    }

    private static Object parse(String v) {
        try {
            return v.contains(".") || v.contains("e") ? (Object) Double.parseDouble(v) : (Object) Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    @SuppressWarnings("unchecked")
    static void run(String toy, Map<String, Object> overrides, String extraSampler, String tag, Path out)
            throws Exception {
        FloatMatrix train = ToyDistributions.byName(toy, 15_000, 1L);
        FloatMatrix held = ToyDistributions.byName(toy, 2_000, 2L);
        Standardizer standardizer = Standardizer.fit(train);
        TrainingData data = TrainingData.of(standardizer.forward(train));
        DiffusionFamily family = new DiffusionFamily();
        Object config = Families.config((GeneratorFamily<Object>) (GeneratorFamily<?>) family, overrides);
        var resolved = family.resolve((dev.genserve.generative.score.DiffusionConfig) config, data);
        long began = System.nanoTime();
        try (DiffusionGenerator g = family.train(data, resolved, TrainingContext.simple())) {
            double seconds = (System.nanoTime() - began) / 1e9;
            List<String> samplers = new ArrayList<>();
            samplers.add(resolved.sampler());
            if (extraSampler != null) {
                samplers.add(extraSampler);
            }
            List<FloatMatrix> panels = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String name : samplers) {
                String[] parts = name.split(":");
                Integer sampleSteps = parts.length > 1 ? Integer.valueOf(parts[1]) : null;
                FloatMatrix z = g.sample(SampleSpec.of(2000, 3L).withSampler(parts[0], sampleSteps)).samples();
                FloatMatrix samples = standardizer.inverse(z);
                QualityReport r = QualityReport.evaluate(samples, held, null, 0, train, QualitySettings.DEFAULT);
                int outliers = outliers(z, resolved.dataRadius());
                System.out.printf(Locale.ROOT, "RESULT %s [%s] %s steps=%d train=%.0fs nn1=%.3f (floor %.3f) "
                        + "mmd2_bw0.1=%.2fx mmd2_bw0.3=%.2fx coverage=%.3f (floor %.3f) precision=%.3f (floor %.3f) "
                        + "outliers=%d%n", toy, tag, name, resolved.steps(), seconds,
                        r.metric("nn1_accuracy").value(), r.metric("nn1_accuracy").floor(),
                        r.metric("mmd2_bw0.1").ratio(), r.metric("mmd2_bw0.3").ratio(), r.metric("coverage").value(),
                        r.metric("coverage").floor(), r.metric("precision").value(), r.metric("precision").floor(),
                        outliers);
                panels.add(samples);
                labels.add(name);
            }
            FloatMatrix blob = Baselines.fittedGaussian(train, 2000, 4L);
            QualityReport b = QualityReport.evaluate(blob, held, null, 0, train, QualitySettings.DEFAULT);
            System.out.printf(Locale.ROOT, "BASELINE %s fitted-gaussian nn1=%.3f mmd2_bw0.1=%.2fx coverage=%.3f%n", toy,
                    b.metric("nn1_accuracy").value(), b.metric("mmd2_bw0.1").ratio(), b.metric("coverage").value());
            FloatMatrix[][] cells = new FloatMatrix[1][panels.size() + 2];
            String[] cols = new String[panels.size() + 2];
            cells[0][0] = held;
            cols[0] = "held-out data";
            for (int i = 0; i < panels.size(); i++) {
                cells[0][i + 1] = panels.get(i);
                cols[i + 1] = labels.get(i);
            }
            cells[0][cols.length - 1] = blob;
            cols[cols.length - 1] = "fitted Gaussian";
            String file = (toy + "-" + tag).replaceAll("[^A-Za-z0-9.=-]+", "_") + ".png";
            Plot.scatterGrid(out.resolve(file), toy + " — " + tag + " (" + resolved.steps() + " steps)",
                    new String[] {toy}, cols, cells, 3.2);
        }
    }

    /** Samples (standardised) farther from the origin than 1.5× the largest training norm. */
    static int outliers(FloatMatrix z, double radius) {
        int count = 0;
        for (int i = 0; i < z.rows(); i++) {
            double sq = 0;
            for (int j = 0; j < z.cols(); j++) {
                sq += z.get(i, j) * z.get(i, j);
            }
            if (Math.sqrt(sq) > 1.5 * radius) {
                count++;
            }
        }
        return count;
    }
}
