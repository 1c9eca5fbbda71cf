package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.score.DiffusionConfig;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.score.DiffusionGenerator;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.sampling.PngEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Class-conditional diffusion on Fashion-MNIST (the conv U-Net, EDM, null-class dropout), judged by
 * {@link FashionMnistJudge} at several guidance scales: label accuracy and Fréchet distance against their ceiling and
 * floor. Trains on the first {@code rows} training images in [−1, 1] (standardised globally, as the service does for
 * images), samples {@code perClass} images of every class with the given sampler, and writes a 10 × 10 grid per scale.
 * Run: {@code java -cp ... dev.genserve.bench.DiffusionImages ROWS STEPS PER_CLASS SAMPLER:STEPS GUIDANCES OUT_DIR
 * [key=value ...]}, e.g. {@code 20000 2000 100 pf-ode-heun:30 1,2,3 out/img}.
 */
public final class DiffusionImages {

    private DiffusionImages() {}

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        int perClass = Integer.parseInt(args[2]);
        String[] sampler = args[3].split(":");
        String[] guidances = args[4].split(",");
        Path out = Path.of(args[5]);
        Files.createDirectories(out);
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("steps", steps);
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            overrides.put(kv[0], kv[1].contains(".") ? (Object) Double.parseDouble(kv[1]) : Long.parseLong(kv[1]));
        }
        FashionMnist train = FashionMnist.read(FashionMnist.DEFAULT_DIR, false, rows);
        Standardizer standardizer = Standardizer.fitGlobal(train.images());
        TrainingData data = new TrainingData(standardizer.forward(train.images()), train.labels(),
                FashionMnist.CLASSES, new int[] {1, FashionMnist.SIDE, FashionMnist.SIDE});
        DiffusionFamily family = new DiffusionFamily();
        DiffusionConfig config = family.resolve((DiffusionConfig) Families.config(
                (GeneratorFamily<Object>) (GeneratorFamily<?>) family, overrides), data);
        System.out.println("config " + config);
        long began = System.nanoTime();
        try (DiffusionGenerator g = family.train(data, config, TrainingContext.simple());
                FashionMnistJudge judge = FashionMnistJudge.loadOrTrain().orElseThrow()) {
            System.out.printf(Locale.ROOT, "trained %d steps in %.0fs%n", steps, (System.nanoTime() - began) / 1e9);
            int n = perClass * FashionMnist.CLASSES;
            for (String w : guidances) {
                float[] all = new float[n * FashionMnist.PIXELS];
                int[] intended = new int[n];
                long t0 = System.nanoTime();
                for (int c = 0; c < FashionMnist.CLASSES; c++) {
                    FloatMatrix z = g.sample(SampleSpec.of(perClass, 100L + c)
                            .withSampler(sampler[0], Integer.valueOf(sampler[1]))
                            .withClass(c, Double.parseDouble(w))).samples();
                    System.arraycopy(standardizer.inverse(z).data(), 0, all, c * perClass * FashionMnist.PIXELS,
                            perClass * FashionMnist.PIXELS);
                    java.util.Arrays.fill(intended, c * perClass, (c + 1) * perClass, c);
                }
                FloatMatrix images = new FloatMatrix(all, n, FashionMnist.PIXELS);
                FashionMnistJudge.Verdict v = judge.judge(images, intended);
                System.out.printf(Locale.ROOT, "RESULT fashion-mnist rows=%d steps=%d %s guidance=%s: %s "
                        + "(sampling %.0fs)%n", rows, steps, args[3], w, v, (System.nanoTime() - t0) / 1e9);
                int[] pick = new int[100];
                for (int i = 0; i < 100; i++) {
                    pick[i] = (i % 10) * perClass + Math.min(i / 10, perClass - 1);
                }
                FloatMatrix grid = images.selectRows(pick);
                float[] unit = grid.data().clone();
                for (int i = 0; i < unit.length; i++) {
                    unit[i] = Math.max(0f, Math.min(1f, (unit[i] + 1f) / 2f));
                }
                Files.write(out.resolve("fashion-mnist-w" + w + ".png"), PngEncoder.encode(
                        new FloatMatrix(unit, 100, FashionMnist.PIXELS), new int[] {1, 28, 28}));
            }
        }
    }
}
