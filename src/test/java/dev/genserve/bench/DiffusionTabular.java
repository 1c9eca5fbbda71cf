package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import dev.genserve.generative.score.DiffusionConfig;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.score.DiffusionGenerator;
import dev.genserve.generative.train.TrainingContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * 64-D tabular data of the sklearn-digits shape: Fashion-MNIST images padded to 32 × 32 and averaged over 4 × 4
 * blocks (8 × 8, as the digits were made from 32 × 32 bitmaps), treated as unlabelled vectors with per-feature
 * standardisation. Trains on {@code rows} training images, scores 2,000 samples against 2,000 test images with
 * {@link QualityReport} (the training rows as floor).
 * Run: {@code java -cp ... dev.genserve.bench.DiffusionTabular ROWS STEPS [key=value ...]}.
 */
public final class DiffusionTabular {

    private DiffusionTabular() {}

    /** 28 × 28 rows → 8 × 8 rows: zero-pad by 2 on every side, then average 4 × 4 blocks. */
    static FloatMatrix downsample(FloatMatrix images) {
        float[] out = new float[images.rows() * 64];
        for (int r = 0; r < images.rows(); r++) {
            for (int by = 0; by < 8; by++) {
                for (int bx = 0; bx < 8; bx++) {
                    double sum = 0;
                    for (int y = by * 4 - 2; y < by * 4 + 2; y++) {
                        for (int x = bx * 4 - 2; x < bx * 4 + 2; x++) {
                            boolean inside = y >= 0 && y < 28 && x >= 0 && x < 28;
                            sum += inside ? (images.get(r, y * 28 + x) + 1) / 2 : 0; // [0, 1], padding = black
                        }
                    }
                    out[r * 64 + by * 8 + bx] = (float) (sum / 16);
                }
            }
        }
        return new FloatMatrix(out, images.rows(), 64);
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("steps", Integer.parseInt(args[1]));
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            Object v;
            try {
                v = kv[1].contains(".") || kv[1].contains("e") ? Double.parseDouble(kv[1]) : Long.parseLong(kv[1]);
            } catch (NumberFormatException e) {
                v = kv[1];
            }
            overrides.put(kv[0], v);
        }
        FloatMatrix train = downsample(FashionMnist.read(FashionMnist.DEFAULT_DIR, false, rows).images());
        FloatMatrix held = downsample(FashionMnist.read(FashionMnist.DEFAULT_DIR, true, 2000).images());
        Standardizer standardizer = Standardizer.fit(train);
        TrainingData data = TrainingData.of(standardizer.forward(train));
        DiffusionFamily family = new DiffusionFamily();
        DiffusionConfig config = family.resolve((DiffusionConfig) Families.config(
                (GeneratorFamily<Object>) (GeneratorFamily<?>) family, overrides), data);
        long began = System.nanoTime();
        try (DiffusionGenerator g = family.train(data, config, TrainingContext.simple())) {
            double seconds = (System.nanoTime() - began) / 1e9;
            for (String sampler : new String[] {config.sampler(), "pf-ode-heun"}) {
                Integer steps = sampler.equals("pf-ode-heun") ? 100 : null;
                FloatMatrix z = g.sample(SampleSpec.of(2000, 3L).withSampler(sampler, steps)).samples();
                QualityReport r = QualityReport.evaluate(standardizer.inverse(z), held, null, 0, train,
                        QualitySettings.DEFAULT);
                System.out.printf(Locale.ROOT, "RESULT tabular-64 %s %s steps=%d train=%.0fs nn1=%.3f (floor %.3f) "
                        + "mmd2_bw0.1=%.2fx coverage=%.3f (floor %.3f) precision=%.3f (floor %.3f) outliers=%d%n",
                        String.join(" ", java.util.Arrays.copyOfRange(args, 2, args.length)), sampler,
                        config.steps(), seconds, r.metric("nn1_accuracy").value(), r.metric("nn1_accuracy").floor(),
                        r.metric("mmd2_bw0.1").ratio(), r.metric("coverage").value(), r.metric("coverage").floor(),
                        r.metric("precision").value(), r.metric("precision").floor(),
                        DiffusionQuality.outliers(z, config.dataRadius()));
            }
        }
    }
}
