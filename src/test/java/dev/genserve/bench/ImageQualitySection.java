package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.Standardizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Section 4b: image quality on Fashion-MNIST, judged by {@link FashionMnistJudge}. Every family trains
 * class-conditionally with its defaults (only {@code steps} and the seed set) on the standardised training images
 * and labels; {@code imageSamples / 10} samples per class are judged: label accuracy against the classifier's
 * test-set accuracy (the ceiling), and the Fréchet distance of its features against the half-vs-half floor. A
 * family that rejects a class (not class-conditional) is judged on unconditional samples: FD only. Reference rows:
 * real held-out test images (the ceiling itself) and a per-class fitted Gaussian (a baseline that must lose).
 * Picture: {@code fashion_samples.png}, one block per model, class k in row k.
 */
final class ImageQualitySection extends BenchSection {

    private static final int GRID_COLUMNS = 6;

    /** One judged set of images. */
    record Judged(String model, String note, FashionMnistJudge.Verdict verdict, double classBalance,
            FloatMatrix grid) {}


    ImageQualitySection(BenchContext context) {
        super(context);
    }

    void run() {
        if (!FashionMnistJudge.datasetAvailable()) {
            String msg = FashionMnist.missing(FashionMnist.DEFAULT_DIR) + ": image-quality section skipped.";
            System.out.println("[bench] " + msg);
            report.line(msg + "\n");
            return;
        }
        int perClass = Math.max(1, settings.imageSamples() / FashionMnist.CLASSES);
        int n = perClass * FashionMnist.CLASSES;
        FashionMnist train;
        try {
            train = FashionMnist.read(FashionMnist.DEFAULT_DIR, false, settings.quick() ? 2000 : Integer.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (FashionMnistJudge judge = FashionMnistJudge.loadOrTrain().orElseThrow()) {
            report.line("Judge: the CNN of `FashionMnistClassifier` (" + (judge.loadedFromCache() ? "loaded from its "
                    + "cache" : "trained in this run") + "), accuracy on the real test set **" + Stats.fmt(
                    judge.testAccuracy()) + "** (the label-accuracy ceiling). Each family trains class-conditionally "
                    + "with its defaults (only `steps` = " + settings.imageSteps() + " and `seed` = 0 set) on "
                    + train.images().rows() + " standardised training images with labels; " + perClass
                    + " samples per class (n = " + n + ") are judged. FD: Fréchet distance of the judge's "
                    + FashionMnistClassifier.FEATURES + " hidden features against one half of the real test set; "
                    + "floor: as many real images of the other half. Class balance: total variation between the "
                    + "judge's predicted-class histogram and uniform (0 = balanced; dropped classes raise it).\n");
            List<Judged> rows = new ArrayList<>();
            int[] intended = FashionMnistJudge.intendedLabels(perClass);
            FloatMatrix real = judge.realSamples(perClass);
            rows.add(judged(judge, "real held-out test images (ceiling)", "", real, intended));
            FloatMatrix gaussian = perClassGaussian(train, perClass);
            rows.add(judged(judge, "per-class fitted Gaussian (baseline)", "", gaussian, intended));
            Standardizer st = Standardizer.fit(train.images(), true);
            TrainingData data = new TrainingData(st.forward(train.images()), train.labels(), FashionMnist.CLASSES,
                    new int[] {1, FashionMnist.SIDE, FashionMnist.SIDE});
            for (Families.Found f : families) {
                Judged j = trainAndJudge(judge, f, data, st, perClass, intended);
                if (j != null) {
                    rows.add(j);
                }
                report.flush();
            }
            table(rows);
            picture(rows);
        }
    }

    private Judged trainAndJudge(FashionMnistJudge judge, Families.Found f, TrainingData data, Standardizer st,
            int perClass, int[] intended) {
        long t0 = System.nanoTime();
        try (Generator g = BenchTraining.train(f, data, BenchTraining.defaultsBudget(settings.imageSteps()), 7200)
                .generator()) {
            System.out.printf(Locale.ROOT, "[bench] fashion-mnist/%s trained (%d steps) in %.0f s%n", f.id(),
                    settings.imageSteps(), (System.nanoTime() - t0) / 1e9);
            int n = intended.length;
            float[] all = new float[n * FashionMnist.PIXELS];
            try {
                for (int k = 0; k < FashionMnist.CLASSES; k++) {
                    FloatMatrix s = st.inverse(g.sample(SampleSpec.of(perClass, 100 + k).withClass(k, null))
                            .samples());
                    System.arraycopy(s.data(), 0, all, k * perClass * FashionMnist.PIXELS, s.data().length);
                }
            } catch (IllegalArgumentException notConditional) {
                System.out.println("[bench] " + f.id() + " is not class-conditional: " + notConditional.getMessage());
                FloatMatrix s = st.inverse(g.sample(SampleSpec.of(n, 100)).samples());
                int[] predicted = judge.classify(s);
                return new Judged(f.id(), "not class-conditional: unconditional samples, FD only",
                        judge.judge(s, predicted), classBalance(predicted), s);
            }
            FloatMatrix samples = new FloatMatrix(all, n, FashionMnist.PIXELS);
            return judged(judge, f.id(), "", samples, intended);
        } catch (RuntimeException e) {
            e.printStackTrace();
            report.line("- " + f.id() + ": failed: `" + e + "`");
            return null;
        }
    }

    private static Judged judged(FashionMnistJudge judge, String model, String note, FloatMatrix images,
            int[] intended) {
        return new Judged(model, note, judge.judge(images, intended), classBalance(judge.classify(images)), images);
    }

    /** Per class: a Gaussian fitted to (at most 2000 of) its training images, perClass draws, in class order. */
    private static FloatMatrix perClassGaussian(FashionMnist train, int perClass) {
        float[] all = new float[perClass * FashionMnist.CLASSES * FashionMnist.PIXELS];
        for (int k = 0; k < FashionMnist.CLASSES; k++) {
            int kk = k;
            int[] rows = java.util.stream.IntStream.range(0, train.labels().length)
                    .filter(i -> train.labels()[i] == kk).limit(2000).toArray();
            FloatMatrix s = Baselines.fittedGaussian(train.images().selectRows(rows), perClass, 700 + k);
            System.arraycopy(s.data(), 0, all, k * perClass * FashionMnist.PIXELS, s.data().length);
        }
        return new FloatMatrix(all, perClass * FashionMnist.CLASSES, FashionMnist.PIXELS);
    }

    /** Total variation between the histogram of predicted classes and uniform. */
    static double classBalance(int[] predicted) {
        double[] counts = new double[FashionMnist.CLASSES];
        for (int p : predicted) {
            counts[p]++;
        }
        double tv = 0;
        for (double c : counts) {
            tv += Math.abs(c / predicted.length - 1.0 / FashionMnist.CLASSES);
        }
        return tv / 2;
    }

    private void table(List<Judged> rows) {
        report.line("| model | label accuracy (ceiling) | per-class accuracy min–max | FD (floor) | FD / floor | "
                + "class balance TV | note |");
        report.line("|---|---|---|---|---|---|---|");
        for (Judged j : rows) {
            FashionMnistJudge.Verdict v = j.verdict();
            boolean conditional = j.note().isEmpty();
            double[] pc = Arrays.stream(v.perClassAccuracy()).filter(x -> !Double.isNaN(x)).toArray();
            String perClass = conditional && pc.length > 0 ? Stats.fmt(Arrays.stream(pc).min().orElseThrow()) + "–"
                    + Stats.fmt(Arrays.stream(pc).max().orElseThrow()) : "–";
            report.line("| " + j.model() + " | " + (conditional ? Stats.fmt(v.labelAccuracy()) + " ("
                    + Stats.fmt(v.accuracyCeiling()) + ")" : "n/a") + " | " + perClass + " | "
                    + Stats.fmt(v.frechetDistance()) + " (" + Stats.fmt(v.frechetFloor()) + ") | "
                    + String.format(Locale.ROOT, "%.1f×", v.frechetRatio()) + " | " + Stats.fmt(j.classBalance())
                    + " | " + j.note() + " |");
            report.headline("fashion-mnist " + j.model() + ": " + (conditional ? v.toString()
                    : "unconditional; FD " + Stats.fmt(v.frechetDistance()) + " (floor " + Stats.fmt(v.frechetFloor())
                    + ")"));
        }
        report.line("\n![Fashion-MNIST samples](fashion_samples.png)\n");
    }

    private void picture(List<Judged> rows) {
        String[] names = rows.stream().map(Judged::model).toArray(String[]::new);
        FloatMatrix[] blocks = new FloatMatrix[rows.size()];
        for (int b = 0; b < blocks.length; b++) {
            FloatMatrix m = rows.get(b).grid();
            int perClass = m.rows() / FashionMnist.CLASSES;
            int cols = Math.min(GRID_COLUMNS, perClass);
            int[] pick = new int[FashionMnist.CLASSES * cols];
            for (int k = 0; k < FashionMnist.CLASSES; k++) {
                for (int c = 0; c < cols; c++) {
                    pick[k * cols + c] = k * perClass + c;
                }
            }
            blocks[b] = m.selectRows(pick);
        }
        int cols = Math.min(GRID_COLUMNS, Math.max(1, rows.get(0).grid().rows() / FashionMnist.CLASSES));
        Plot.imageBlocks(out.resolve("fashion_samples.png"), "Fashion-MNIST, " + settings.imageSteps()
                + " steps, family defaults: class k in row k (unconditional models: first samples)", names, blocks,
                FashionMnist.CLASSES, cols, 2);
    }
}
