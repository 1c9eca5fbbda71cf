package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.attractor.AttractorConfig;
import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.SampleQuality;
import dev.genserve.generative.train.CheckpointStore;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attractor vs VP diffusion on 2-D toys at the same training budget (same MLP width/depth, steps, batch), plus the
 * effect of noiseDraws (1 vs 4) on the loss variance and the final MMD². The diffusion family is looked up by class
 * name at run time ({@value #DIFFUSION_CLASS}) and skipped with a message when it is absent. Run with
 * {@code main [steps] [hidden] [batch] [toys,comma,separated]}; prints a markdown table.
 */
public final class AttractorBenchmark {

    static final String DIFFUSION_CLASS = "dev.genserve.generative.score.DiffusionFamily";
    private static final int TRAIN_ROWS = 4000;
    private static final int EVAL_ROWS = 2000;

    private AttractorBenchmark() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        List<String> toys = args.length > 3 ? List.of(args[3].split(",")) : List.of("eight-gaussians", "moons",
                "checkerboard");
        List<Map<String, Object>> rows = run(toys, steps, hidden, 3, batch);
        System.out.println(markdown(rows));
    }

    /** One row per (toy, model): MMD², sliced W2 and energy distance vs held-out data, training and sampling time. */
    public static List<Map<String, Object>> run(List<String> toys, int steps, int hidden, int depth, int batch) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Optional<GeneratorFamily<Object>> diffusion = diffusionFamily();
        if (diffusion.isEmpty()) {
            System.out.println("VP diffusion skipped: " + DIFFUSION_CLASS + " is not on the class path");
        }
        for (String toy : toys) {
            FloatMatrix all = standardise(ToyDistributions.byName(toy, TRAIN_ROWS + EVAL_ROWS, 1));
            FloatMatrix train = all.slice(0, TRAIN_ROWS);
            FloatMatrix heldOut = all.slice(TRAIN_ROWS, TRAIN_ROWS + EVAL_ROWS);
            rows.add(row(toy, "data (fresh draw)", SampleQuality.of(
                    standardise(ToyDistributions.byName(toy, EVAL_ROWS, 99)), heldOut), 0, 0, Double.NaN));
            for (int draws : new int[] {1, 4}) {
                AttractorFamily family = new AttractorFamily();
                AttractorConfig config = new AttractorConfig(null, null, null, null, null, null, null, null, null,
                        draws, hidden, depth, 32, steps, batch, null, null, null, null, null, 0L, null, null, null,
                        null);
                rows.addAll(evaluate(toy, "attractor (noiseDraws=" + draws + ")", family, config, train, heldOut,
                        List.of("reverse-sde", "probability-flow")));
            }
            diffusion.ifPresent(family -> rows.addAll(evaluate(toy, "VP diffusion", family,
                    diffusionConfig(family, steps, hidden, depth, batch), train, heldOut, List.of((String) null))));
        }
        return rows;
    }

    private static <C> List<Map<String, Object>> evaluate(String toy, String name, GeneratorFamily<C> family,
            C config, FloatMatrix train, FloatMatrix heldOut, List<String> samplers) {
        TrainingData data = TrainingData.of(train);
        C resolved = family.resolve(config, data);
        LossRecorder recorder = new LossRecorder(family.totalSteps(resolved));
        long began = System.nanoTime();
        List<Map<String, Object>> out = new ArrayList<>();
        try (Generator generator = family.train(data, resolved, recorder)) {
            double trainSeconds = (System.nanoTime() - began) / 1e9;
            for (String sampler : samplers) {
                long t0 = System.nanoTime();
                FloatMatrix samples = generator.sample(SampleSpec.of(EVAL_ROWS, 7).withSampler(sampler, null))
                        .samples();
                double sampleSeconds = (System.nanoTime() - t0) / 1e9;
                out.add(row(toy, name + (sampler == null ? "" : " " + sampler), SampleQuality.of(samples, heldOut),
                        trainSeconds, sampleSeconds, recorder.variance()));
            }
        }
        return out;
    }

    private static Map<String, Object> row(String toy, String model, SampleQuality q, double trainSeconds,
            double sampleSeconds, double lossVariance) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("toy", toy);
        row.put("model", model);
        row.put("mmd2", q.mmd());
        row.put("sw2", q.slicedWasserstein());
        row.put("energy", q.energyDistance());
        row.put("trainSeconds", trainSeconds);
        row.put("sampleSeconds", sampleSeconds);
        row.put("lossVarianceSecondHalf", lossVariance);
        return row;
    }

    static String markdown(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder(
                "| toy | model | MMD² | SW2 | energy | train s | sample s (2000) | loss var (2nd half) |\n"
                        + "|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            sb.append(String.format("| %s | %s | %.5f | %.4f | %.4f | %.1f | %.1f | %.5f |%n", r.get("toy"),
                    r.get("model"), r.get("mmd2"), r.get("sw2"), r.get("energy"), r.get("trainSeconds"),
                    r.get("sampleSeconds"), r.get("lossVarianceSecondHalf")));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Optional<GeneratorFamily<Object>> diffusionFamily() {
        try {
            Class<?> type = Class.forName(DIFFUSION_CLASS);
            return Optional.of((GeneratorFamily<Object>) type.getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            System.out.println("VP diffusion skipped: cannot instantiate " + DIFFUSION_CLASS + ": " + e);
            return Optional.empty();
        }
    }

    /** The diffusion config record with the shared budget set by component name and everything else null. */
    private static Object diffusionConfig(GeneratorFamily<Object> family, int steps, int hidden, int depth,
            int batch) {
        Map<String, Object> budget = Map.of("steps", steps, "hidden", hidden, "depth", depth, "batchSize", batch,
                "timeFeatures", 32, "seed", 0L, "sde", "vp");
        Class<?> type = family.configType();
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            Object v = budget.get(components[i].getName());
            values[i] = v != null && types[i].isInstance(v) ? v : null;
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName() + ": " + e, e);
        }
    }

    static FloatMatrix standardise(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.get(i, j) / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sq[j] += Math.pow(x.get(i, j) - mean[j], 2) / n;
            }
        }
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (float) ((x.get(i, j) - mean[j]) / Math.sqrt(sq[j]));
            }
        }
        return new FloatMatrix(out, n, d);
    }

    /** Records the per-step loss of the second half of training to report its variance. */
    private static final class LossRecorder implements TrainingContext {
        private final int total;
        private double sum;
        private double sumSquares;
        private int count;

        LossRecorder(int total) {
            this.total = total;
        }

        @Override
        public void report(TrainingProgress progress) {
            if (progress.step() > total / 2) {
                sum += progress.loss();
                sumSquares += progress.loss() * progress.loss();
                count++;
            }
        }

        double variance() {
            if (count < 2) {
                return Double.NaN;
            }
            double mean = sum / count;
            return sumSquares / count - mean * mean;
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }

        @Override
        public Optional<CheckpointStore> checkpoints() {
            return Optional.empty();
        }
    }
}
