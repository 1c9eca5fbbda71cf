package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark's judge of Fashion-MNIST samples, built on a small CNN ({@link FashionMnistClassifier}) trained on
 * the real Fashion-MNIST training images; never used by the service. For class-conditional samples it reports
 * <ul>
 *   <li><b>label accuracy</b>: the share of samples the classifier labels with the class they were generated for,
 *       next to its accuracy on the whole real test set (the ceiling);</li>
 *   <li><b>Fréchet distance</b> ({@link FrechetDistance}) of the classifier's {@value FashionMnistClassifier#FEATURES}
 *       hidden features between the samples and the <em>reference</em> half of the real test set ({@value #HALF}
 *       images), next to its floor: as many class-balanced real images of the other half (the <em>held-out</em>
 *       half) against the same reference. FD is biased upwards at small n, so model and floor share n (at most
 *       {@value #HALF}; larger sets are subsampled, seeded).</li>
 * </ul>
 * Images are rows of 784 pixels in IdxReader's scale v/127.5 − 1, i.e. [−1, 1] (for the service's [0, 1] scale —
 * built-in and uploaded IDX datasets — use {@link #judgeUnitRange}), in data units (map standardised
 * samples back first); values outside [−1, 1] are clamped, as a viewer would show them. The test set is split into
 * halves by a seeded shuffle. The classifier is trained once per code/config and cached (see
 * {@link FashionMnistClassifier}; cache folder {@code -Dgenserve.judge.cache}, default
 * {@code ~/.cache/genserve-judge}); training takes about a minute and a half on one thread.
 *
 * <p>Usage:
 * <pre>{@code
 * try (FashionMnistJudge judge = FashionMnistJudge.loadOrTrain().orElseThrow()) { // empty: dataset absent
 *     FloatMatrix images = ...;   // N × 784 in [−1, 1], e.g. standardizer.inverse(generator.sample(spec).samples())
 *     int[] intended = ...;       // the class each row was generated for (SampleSpec.withClass)
 *     FashionMnistJudge.Verdict v = judge.judge(images, intended);
 *     System.out.println(v);      // label accuracy 0.620 (ceiling 0.889); FD 35.1 (floor 2.38 at n = 1000, 14.7×)
 *     double accuracy = v.labelAccuracy(), fd = v.frechetDistance(), floor = v.frechetFloor();
 * }
 * }</pre>
 */
public final class FashionMnistJudge implements AutoCloseable {

    /** Images per test-set half. */
    public static final int HALF = 5000;
    private static final long SPLIT_SEED = 11L;
    private static final long SUBSAMPLE_SEED = 13L;

    /**
     * The judge's numbers for one set of samples.
     *
     * @param samples rows judged
     * @param labelAccuracy share of samples classified as their intended class
     * @param accuracyCeiling the classifier's accuracy on the whole real test set
     * @param perClassAccuracy label accuracy per intended class 0..9 (NaN for classes without samples)
     * @param frechetDistance FD of the samples' features against the reference half of the test set
     * @param frechetFloor FD of as many class-balanced held-out real images (at most {@value #HALF}) against the
     *     same reference
     */
    public record Verdict(int samples, double labelAccuracy, double accuracyCeiling, double[] perClassAccuracy,
            double frechetDistance, double frechetFloor) {

        /** FD as a multiple of its floor. */
        public double frechetRatio() {
            return frechetDistance / frechetFloor;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "label accuracy %.3f (ceiling %.3f); FD %.3g (floor %.3g at n = %d, "
                    + "%.1f×)", labelAccuracy, accuracyCeiling, frechetDistance, frechetFloor,
                    Math.min(samples, HALF), frechetRatio());
        }
    }

    private final FashionMnistClassifier classifier;
    private final FashionMnist test;
    private final FloatMatrix heldOut;
    private final int[] heldOutLabels;
    private final FrechetDistance reference;
    private final double testAccuracy;

    private FashionMnistJudge(FashionMnistClassifier classifier, FashionMnist test) {
        this.classifier = classifier;
        this.test = test;
        int[] order = FashionMnistClassifier.shuffled(test.images().rows(), SPLIT_SEED);
        int[] held = Arrays.copyOfRange(order, 0, HALF);
        this.heldOut = test.images().selectRows(held);
        this.heldOutLabels = Arrays.stream(held).map(i -> test.labels()[i]).toArray();
        this.reference = FrechetDistance.fit(classifier.features(test.images().selectRows(
                Arrays.copyOfRange(order, HALF, 2 * HALF))));
        this.testAccuracy = agreement(classifier.classify(test.images()), test.labels());
    }

    /**
     * The judge for the dataset in {@code /usr/share/datasets/fashion-mnist} with the default config and cache, or
     * empty (with a message on stdout) when the dataset is not installed.
     */
    public static Optional<FashionMnistJudge> loadOrTrain() {
        if (!FashionMnist.available(FashionMnist.DEFAULT_DIR)) {
            System.out.println("[judge] " + FashionMnist.missing(FashionMnist.DEFAULT_DIR) + ": no judge");
            return Optional.empty();
        }
        return Optional.of(loadOrTrain(FashionMnist.DEFAULT_DIR, defaultCache()));
    }

    /** Whether the default dataset folder holds both splits. */
    public static boolean datasetAvailable() {
        return FashionMnist.available(FashionMnist.DEFAULT_DIR);
    }

    /** The judge for the dataset in {@code datasetDir}, its classifier cached under {@code cacheDir}. */
    public static FashionMnistJudge loadOrTrain(Path datasetDir, Path cacheDir) {
        try {
            FashionMnist test = FashionMnist.read(datasetDir, true, Integer.MAX_VALUE);
            FashionMnistClassifier classifier = FashionMnistClassifier.loadOrTrain(datasetDir, cacheDir,
                    FashionMnistClassifier.Config.DEFAULT);
            try {
                return new FashionMnistJudge(classifier, test);
            } catch (RuntimeException | Error e) {
                classifier.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Fashion-MNIST judge from " + datasetDir + " (cache "
                    + cacheDir + ")", e);
        }
    }

    static Path defaultCache() {
        String configured = System.getProperty("genserve.judge.cache");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "genserve-judge");
    }

    /** Whether the classifier was trained by this call or loaded from the cache. */
    public boolean loadedFromCache() {
        return classifier.source() == FashionMnistClassifier.Source.CACHE;
    }

    /** The classifier's accuracy on the whole real test set: the ceiling of {@link Verdict#labelAccuracy}. */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** The real test images (10,000 × 784, [−1, 1]). */
    public FloatMatrix testImages() {
        return test.images();
    }

    public int[] testLabels() {
        return test.labels().clone();
    }

    /** The held-out half of the test set (not in the FD reference): real images to compare samples with. */
    public FloatMatrix heldOutImages() {
        return heldOut;
    }

    public int[] heldOutLabels() {
        return heldOutLabels.clone();
    }

    /**
     * Real images to score like class-conditional samples: {@code perClass} held-out images of each class, class k
     * in rows [k·perClass, (k+1)·perClass), taken from the end of the held-out half (so, for perClass ≤ 250, none
     * of them is in {@link #frechetFloor}'s set); see {@link #intendedLabels}.
     */
    public FloatMatrix realSamples(int perClass) {
        int[] rows = new int[perClass * FashionMnist.CLASSES];
        int[] filled = new int[FashionMnist.CLASSES];
        for (int i = HALF - 1; i >= 0; i--) {
            int k = heldOutLabels[i];
            if (filled[k] < perClass) {
                rows[k * perClass + filled[k]++] = i;
            }
        }
        return heldOut.selectRows(rows);
    }

    /** The labels of samples laid out class by class: class k in rows [k·perClass, (k+1)·perClass). */
    public static int[] intendedLabels(int perClass) {
        int[] labels = new int[perClass * FashionMnist.CLASSES];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
        }
        return labels;
    }

    /** The predicted class of every row. */
    public int[] classify(FloatMatrix images) {
        return classifier.classify(images);
    }

    /** The share of rows whose predicted class equals {@code intended}. */
    public double labelAccuracy(FloatMatrix images, int[] intended) {
        return agreement(classify(images), intended);
    }

    /** FD of the images' features (at most {@value #HALF} rows, a seeded subsample) against the reference half. */
    public double frechetDistance(FloatMatrix images) {
        return FrechetDistance.fit(classifier.features(cap(images))).to(reference);
    }

    /**
     * FD of n (≤ {@value #HALF}) held-out real images against the reference half: the first ⌈n/10⌉ of each class
     * (class-balanced, as class-conditional samples are), truncated to n.
     */
    public double frechetFloor(int n) {
        int m = Math.min(n, HALF);
        int perClass = (m + FashionMnist.CLASSES - 1) / FashionMnist.CLASSES;
        int[] rows = new int[m];
        int[] taken = new int[FashionMnist.CLASSES];
        int filled = 0;
        for (int i = 0; i < HALF && filled < m; i++) {
            if (taken[heldOutLabels[i]]++ < perClass) {
                rows[filled++] = i;
            }
        }
        return frechetDistance(heldOut.selectRows(Arrays.copyOf(rows, filled)));
    }

    /**
     * {@link #judge} for images in the service's pixel scale [0, 1] (what {@code builtin:fashion-mnist} and IDX
     * uploads hold, and what a model's samples come back in): maps v → 2v − 1 first.
     */
    public Verdict judgeUnitRange(FloatMatrix images, int[] intended) {
        return judge(fromUnitRange(images), intended);
    }

    /** [0, 1] pixels → the judge's [−1, 1] scale (v → 2v − 1). */
    public static FloatMatrix fromUnitRange(FloatMatrix images) {
        float[] out = images.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = 2 * out[i] - 1;
        }
        return new FloatMatrix(out, images.rows(), images.cols());
    }

    /** Label accuracy (overall and per intended class) and FD, each next to its ceiling or floor. */
    public Verdict judge(FloatMatrix images, int[] intended) {
        if (intended.length != images.rows()) {
            throw new IllegalArgumentException(intended.length + " labels for " + images.rows() + " images");
        }
        int[] predicted = classify(images);
        double[] hits = new double[FashionMnist.CLASSES];
        double[] counts = new double[FashionMnist.CLASSES];
        for (int i = 0; i < predicted.length; i++) {
            counts[intended[i]]++;
            hits[intended[i]] += predicted[i] == intended[i] ? 1 : 0;
        }
        double[] perClass = new double[FashionMnist.CLASSES];
        for (int k = 0; k < perClass.length; k++) {
            perClass[k] = counts[k] > 0 ? hits[k] / counts[k] : Double.NaN;
        }
        return new Verdict(images.rows(), agreement(predicted, intended), testAccuracy, perClass,
                frechetDistance(images), frechetFloor(images.rows()));
    }

    /**
     * Each 28×28 image blurred with a Gaussian of {@code sigma} pixels (separable, truncated at 3σ, edges clamped):
     * a degraded reference that any judge must score worse than the real images.
     */
    public static FloatMatrix blurred(FloatMatrix images, double sigma) {
        int side = FashionMnist.SIDE;
        int d = FashionMnist.PIXELS;
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
            sum += kernel[k + radius];
        }
        float[] in = images.data();
        float[] out = new float[in.length];
        float[] rowPass = new float[d];
        for (int i = 0; i < images.rows(); i++) {
            int o = i * d;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        v += kernel[k + radius] * in[o + r * side + Math.min(side - 1, Math.max(0, c + k))];
                    }
                    rowPass[r * side + c] = (float) (v / sum);
                }
            }
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    double v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        v += kernel[k + radius] * rowPass[Math.min(side - 1, Math.max(0, r + k)) * side + c];
                    }
                    out[o + r * side + c] = (float) (v / sum);
                }
            }
        }
        return new FloatMatrix(out, images.rows(), images.cols());
    }

    @Override
    public void close() {
        classifier.close();
    }

    private static double agreement(int[] predicted, int[] intended) {
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            hits += predicted[i] == intended[i] ? 1 : 0;
        }
        return predicted.length == 0 ? Double.NaN : (double) hits / predicted.length;
    }

    private static FloatMatrix cap(FloatMatrix x) {
        return x.rows() <= HALF ? x
                : x.selectRows(Arrays.copyOf(FashionMnistClassifier.shuffled(x.rows(), SUBSAMPLE_SEED), HALF));
    }
}
