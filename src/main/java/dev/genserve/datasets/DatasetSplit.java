package dev.genserve.datasets;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A deterministic train / held-out partition of a dataset's rows.
 *
 * <p>Rule: {@code k = min(maxHeldOut, floor(fraction · N))}, at least 1 when {@code fraction > 0}, and never so many
 * that fewer than 2 training rows remain. The held-out rows are the first k indices of a Fisher–Yates shuffle of
 * 0..N−1 driven by {@code new SplittableRandom(seed)} (whose algorithm is fixed by the JDK specification, so the split
 * is the same on every machine and JVM). Both index lists are sorted ascending, so training rows keep the file order.
 * Labels (if any) follow their rows.
 */
public record DatasetSplit(FloatMatrix train, int[] trainLabels, FloatMatrix heldOut, int[] heldOutLabels,
                           int[] trainIndices, int[] heldOutIndices) {

    public static final double DEFAULT_HELD_OUT_FRACTION = 0.1;
    public static final int DEFAULT_MAX_HELD_OUT = 2000;

    /** {@link #split(LoadedDataset, double, long, int)} with at most {@value #DEFAULT_MAX_HELD_OUT} held-out rows. */
    public static DatasetSplit split(LoadedDataset dataset, double heldOutFraction, long seed) {
        return split(dataset, heldOutFraction, seed, DEFAULT_MAX_HELD_OUT);
    }

    public static DatasetSplit split(LoadedDataset dataset, double heldOutFraction, long seed, int maxHeldOut) {
        return split(dataset.rows(), dataset.labels(), heldOutFraction, seed, maxHeldOut);
    }

    public static DatasetSplit split(FloatMatrix rows, int[] labels, double heldOutFraction, long seed, int maxHeldOut) {
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in [0, 1), got " + heldOutFraction);
        }
        if (maxHeldOut < 0) {
            throw new IllegalArgumentException("maxHeldOut must be >= 0, got " + maxHeldOut);
        }
        int n = rows.rows();
        int k = heldOutCount(n, heldOutFraction, maxHeldOut);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {   // partial Fisher–Yates: positions 0..k−1 are a uniform random k-subset
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] held = Arrays.copyOfRange(perm, 0, k);
        int[] train = Arrays.copyOfRange(perm, k, n);
        Arrays.sort(held);
        Arrays.sort(train);
        return new DatasetSplit(rows.selectRows(train), labels == null ? null : pick(labels, train),
                rows.selectRows(held), labels == null ? null : pick(labels, held), train, held);
    }

    static int heldOutCount(int n, double fraction, int maxHeldOut) {
        if (fraction == 0 || maxHeldOut == 0 || n < 3) {
            return 0;
        }
        int k = (int) Math.floor(fraction * n);
        k = Math.max(1, Math.min(k, maxHeldOut));
        return Math.min(k, n - 2);
    }

    private static int[] pick(int[] labels, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = labels[idx[i]];
        }
        return out;
    }

    /** The training rows standardised with {@code s}, with labels, numClasses and image shape from {@code dataset}. */
    public TrainingData trainingData(LoadedDataset dataset, Standardizer s) {
        return new TrainingData(s.forward(train), trainLabels, dataset.numClasses(), dataset.imageShape());
    }
}
