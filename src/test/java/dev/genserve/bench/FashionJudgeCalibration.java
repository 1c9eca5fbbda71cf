package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import java.util.Locale;

/**
 * What the Fashion-MNIST judge's FD demands of diversity: the verdict on a "generator" that repeats K real training
 * images per class (K ∈ {@code args[0]}, comma-separated, default 10,50,200,500) to 500 samples per class. Perfect
 * images with too few distinct ones still score a high FD, so this gives a model's FD a scale.
 *
 * <p>Usage: {@code java -cp … dev.genserve.bench.FashionJudgeCalibration 10,50,200,500}.
 */
public final class FashionJudgeCalibration {

    private static final int PER_CLASS = 500;

    private FashionJudgeCalibration() {}

    public static void main(String[] args) throws Exception {
        String ks = args.length > 0 ? args[0] : "10,50,200,500";
        FashionMnist train = FashionMnist.read(FashionMnist.DEFAULT_DIR, false, Integer.MAX_VALUE);
        try (FashionMnistJudge judge = FashionMnistJudge.loadOrTrain().orElseThrow(
                () -> new IllegalStateException(FashionMnist.missing(FashionMnist.DEFAULT_DIR)))) {
            for (String value : ks.split(",")) {
                int k = Integer.parseInt(value.trim());
                FloatMatrix images = train.images().selectRows(repeatedFirstRows(train.labels(), k));
                System.out.printf(Locale.ROOT, "%d distinct training images per class, each repeated: %s%n", k,
                        judge.judge(images, FashionMnistJudge.intendedLabels(PER_CLASS)));
            }
        }
    }

    /** Rows laid out class by class (500 each): the first k training images of the class, cycled. */
    static int[] repeatedFirstRows(int[] labels, int k) {
        int[][] first = new int[FashionMnist.CLASSES][k];
        int[] found = new int[FashionMnist.CLASSES];
        for (int i = 0; i < labels.length; i++) {
            if (found[labels[i]] < k) {
                first[labels[i]][found[labels[i]]++] = i;
            }
        }
        int[] rows = new int[PER_CLASS * FashionMnist.CLASSES];
        for (int c = 0; c < FashionMnist.CLASSES; c++) {
            if (found[c] < k) {
                throw new IllegalArgumentException("class " + c + " has only " + found[c] + " training images");
            }
            for (int i = 0; i < PER_CLASS; i++) {
                rows[c * PER_CLASS + i] = first[c][i % k];
            }
        }
        return rows;
    }
}
