package dev.genserve.generative.data;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import java.util.Arrays;
import java.util.Comparator;

/**
 * K rows of a data set drawn one from each cell of a balanced k-d partition into K cells of (almost) equal mass: a
 * node holding k cells splits its M rows at the ⌊k/2⌋/k quantile of its widest coordinate, so each cell holds
 * M/K ± 1 rows (M: the rows looked at, below). Each region of the data then receives picks in proportion to its mass up to a cell or so at its
 * boundary, where K independent draws would miss by ±√(K·p) (on a 25-mode grid with K = 512: ±4.5 of 20.5 picks
 * per mode, which alone costs about 2.5× the floor of the fine-bandwidth MMD).
 *
 * <p>Work is bounded: at most {@value #MAX_ROWS} rows (a seeded subsample) are partitioned, O(M log M log K).
 */
public final class StratifiedSample {

    /** The most rows the partition looks at. */
    static final int MAX_ROWS = 65_536;

    private StratifiedSample() {}

    /**
     * {@code count} row indices of {@code rows}, one per cell, in cell order; when {@code count} is at least the
     * number of rows looked at, every one of them is used once (in a seeded order) and the rest cycle.
     */
    public static int[] indices(FloatMatrix rows, int count, RandomSource random) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        if (rows.rows() == 0) {
            throw new IllegalArgumentException("no rows to sample from");
        }
        int[] pool = shuffledPrefix(rows.rows(), Math.min(rows.rows(), MAX_ROWS), random);
        int[] out = new int[count];
        if (count >= pool.length) {
            for (int i = 0; i < count; i++) {
                out[i] = pool[i % pool.length];
            }
            return out;
        }
        split(rows, pool, 0, pool.length, 0, count, out, random);
        return out;
    }

    /** Cells [cellFrom, cellTo) over pool[from, to): split at the matching quantile of the widest coordinate. */
    private static void split(FloatMatrix rows, int[] pool, int from, int to, int cellFrom, int cellTo, int[] out,
            RandomSource random) {
        int cells = cellTo - cellFrom;
        if (cells == 1) {
            out[cellFrom] = pool[from + random.nextInt(to - from)];
            return;
        }
        int axis = widestAxis(rows, pool, from, to);
        Integer[] boxed = new Integer[to - from];
        for (int i = from; i < to; i++) {
            boxed[i - from] = pool[i];
        }
        Arrays.sort(boxed, Comparator.comparingDouble((Integer r) -> rows.get(r, axis)).thenComparingInt(r -> r));
        for (int i = from; i < to; i++) {
            pool[i] = boxed[i - from];
        }
        int left = cells / 2;
        int mid = from + (int) Math.round((double) (to - from) * left / cells);
        split(rows, pool, from, mid, cellFrom, cellFrom + left, out, random);
        split(rows, pool, mid, to, cellFrom + left, cellTo, out, random);
    }

    private static int widestAxis(FloatMatrix rows, int[] pool, int from, int to) {
        int best = 0;
        double widest = -1;
        for (int d = 0; d < rows.cols(); d++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                double v = rows.get(pool[i], d);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (hi - lo > widest) {
                widest = hi - lo;
                best = d;
            }
        }
        return best;
    }

    /**
     * {@code m} distinct indices of 0..n−1 in a seeded order: a partial Fisher–Yates shuffle when n ≤ {@value
     * #MAX_ROWS}, Floyd's sampling otherwise (O(m) memory either way beyond n ≤ {@value #MAX_ROWS}).
     */
    private static int[] shuffledPrefix(int n, int m, RandomSource random) {
        if (n <= MAX_ROWS) {
            return random.distinctIndices(n, m);
        }
        java.util.LinkedHashSet<Integer> chosen = new java.util.LinkedHashSet<>();
        for (int j = n - m; j < n; j++) {
            int t = random.nextInt(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}
