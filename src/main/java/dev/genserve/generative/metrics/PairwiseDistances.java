package dev.genserve.generative.metrics;

import dev.genserve.generative.FloatMatrix;
import java.util.stream.IntStream;

/**
 * Squared Euclidean distances within and between two samples, computed once so that several kernel metrics
 * (MMD, energy distance) can share the O((m+n)² d) work. Within-sample distances are stored as condensed upper
 * triangles (pairs i &lt; j, row-major), cross distances as a full m × n block.
 */
final class PairwiseDistances {

    /** Rows below this count are done sequentially; parallel streams are not worth their overhead there. */
    private static final long PARALLEL_WORK = 1L << 18;

    /** Rows of the first operand handled together, so each row of the second is reused from L1 cache. */
    private static final int BLOCK = 8;

    final int m;
    final int n;
    /** ‖x_i − x_j‖² for i &lt; j, condensed. */
    final float[] xx;
    /** ‖y_i − y_j‖² for i &lt; j, condensed. */
    final float[] yy;
    /** ‖x_i − y_j‖², row-major m × n. */
    final float[] xy;

    private PairwiseDistances(int m, int n, float[] xx, float[] yy, float[] xy) {
        this.m = m;
        this.n = n;
        this.xx = xx;
        this.yy = yy;
        this.xy = xy;
    }

    static PairwiseDistances of(FloatMatrix x, FloatMatrix y) {
        if (x.cols() != y.cols()) {
            throw new IllegalArgumentException("dimension mismatch: " + x.cols() + " vs " + y.cols());
        }
        return new PairwiseDistances(x.rows(), y.rows(), within(x), within(y), cross(x, y));
    }

    /** As {@link #of}, reusing the within-y distances of an earlier call with the same y. */
    static PairwiseDistances withReference(FloatMatrix x, PairwiseDistances reference, FloatMatrix y) {
        if (x.cols() != y.cols()) {
            throw new IllegalArgumentException("dimension mismatch: " + x.cols() + " vs " + y.cols());
        }
        return new PairwiseDistances(x.rows(), y.rows(), within(x), reference.yy, cross(x, y));
    }

    /** Median distance (not squared) within the y sample. */
    double medianWithinY() {
        if (yy.length == 0) {
            return 0.0;
        }
        float[] copy = yy.clone();
        return Math.sqrt(select(copy, copy.length / 2));
    }

    /** Start of row i in a condensed upper triangle of an n × n matrix. */
    static long triangleOffset(int i, int n) {
        return (long) i * n - (long) i * (i + 1) / 2;
    }

    static float[] within(FloatMatrix a) {
        int n = a.rows();
        int d = a.cols();
        float[] data = a.data();
        float[] out = new float[Math.toIntExact((long) n * (n - 1) / 2)];
        int blocks = (n + BLOCK - 1) / BLOCK;
        rows(blocks, (long) n * n * d / 2).forEach(b -> {
            int i0 = b * BLOCK;
            int i1 = Math.min(n, i0 + BLOCK);
            // each row j is read once per block of BLOCK rows i, while it sits in L1
            for (int j = i0 + 1; j < n; j++) {
                int bj = j * d;
                int iEnd = Math.min(i1, j);
                for (int i = i0; i < iEnd; i++) {
                    out[(int) triangleOffset(i, n) - (i + 1) + j] = squaredDistance(data, i * d, data, bj, d);
                }
            }
        });
        return out;
    }

    static float[] cross(FloatMatrix a, FloatMatrix b) {
        int m = a.rows();
        int n = b.rows();
        int d = a.cols();
        float[] da = a.data();
        float[] db = b.data();
        float[] out = new float[Math.multiplyExact(m, n)];
        int blocks = (m + BLOCK - 1) / BLOCK;
        rows(blocks, (long) m * n * d).forEach(blk -> {
            int i0 = blk * BLOCK;
            int i1 = Math.min(m, i0 + BLOCK);
            for (int j = 0; j < n; j++) {
                int bj = j * d;
                for (int i = i0; i < i1; i++) {
                    out[i * n + j] = squaredDistance(da, i * d, db, bj, d);
                }
            }
        });
        return out;
    }

    private static IntStream rows(int count, long work) {
        IntStream s = IntStream.range(0, count);
        return work >= PARALLEL_WORK ? s.parallel() : s;
    }

    /** ‖a − b‖² with four independent accumulators (keeps the FP pipelines busy; float lanes, double total). */
    static float squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            float t0 = a[ao + k] - b[bo + k];
            float t1 = a[ao + k + 1] - b[bo + k + 1];
            float t2 = a[ao + k + 2] - b[bo + k + 2];
            float t3 = a[ao + k + 3] - b[bo + k + 3];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }
        for (; k < d; k++) {
            float t = a[ao + k] - b[bo + k];
            s0 += t * t;
        }
        return (float) ((double) s0 + s1 + s2 + s3);
    }

    /** Median of all pairwise distances (not squared) of the pooled sample x ∪ y (mean of the middle two if even). */
    double pooledMedianDistance() {
        int total = xx.length + yy.length + xy.length;
        if (total == 0) {
            return 0.0;
        }
        float[] all = new float[total];
        System.arraycopy(xx, 0, all, 0, xx.length);
        System.arraycopy(yy, 0, all, xx.length, yy.length);
        System.arraycopy(xy, 0, all, xx.length + yy.length, xy.length);
        int mid = total / 2;
        float upper = select(all, mid);
        if (total % 2 == 1) {
            return Math.sqrt(upper);
        }
        // after select, all[0..mid) holds the smaller values: the lower middle is their maximum
        float lower = all[0];
        for (int i = 1; i < mid; i++) {
            lower = Math.max(lower, all[i]);
        }
        return 0.5 * (Math.sqrt(lower) + Math.sqrt(upper));
    }

    /** The k-th smallest value (0-based), partially reordering {@code a} around it (Hoare quickselect, O(n) mean). */
    static float select(float[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            int midIdx = lo + (hi - lo) / 2;
            float pivot = median3(a[lo], a[midIdx], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static float median3(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
