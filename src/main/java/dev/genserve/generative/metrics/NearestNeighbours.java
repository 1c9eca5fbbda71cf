package dev.genserve.generative.metrics;

import java.util.Arrays;

/**
 * Nearest-neighbour facts read off squared distances: for every row, its k smallest squared distances to the other
 * rows of its own sample (k-NN radii), and for every row of one sample, its nearest row in the other sample.
 */
final class NearestNeighbours {

    private NearestNeighbours() {}

    /**
     * For each of the n rows of a condensed upper triangle of squared distances, its k smallest squared distances to
     * the other rows, ascending (row i's entry k − 1 is its squared k-NN radius). Needs n &gt; k.
     */
    static float[][] smallestWithin(float[] condensed, int n, int k) {
        if (n <= k) {
            throw new IllegalArgumentException("k-NN radii with k = " + k + " need more than " + k + " rows, got " + n);
        }
        float[][] best = new float[n][k];
        for (float[] row : best) {
            Arrays.fill(row, Float.POSITIVE_INFINITY);
        }
        int idx = 0;
        for (int i = 0; i < n; i++) {
            float[] bi = best[i];
            for (int j = i + 1; j < n; j++) {
                float d = condensed[idx++];
                if (d < bi[k - 1]) {
                    insert(bi, d);
                }
                float[] bj = best[j];
                if (d < bj[k - 1]) {
                    insert(bj, d);
                }
            }
        }
        return best;
    }

    /** Inserts d into the ascending array a, dropping its largest entry. */
    private static void insert(float[] a, float d) {
        int p = a.length - 1;
        while (p > 0 && a[p - 1] > d) {
            a[p] = a[p - 1];
            p--;
        }
        a[p] = d;
    }

    /** Column k − 1 of {@link #smallestWithin}: the squared k-NN radius of every row. */
    static float[] radius(float[][] smallest, int k) {
        float[] out = new float[smallest.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = smallest[i][k - 1];
        }
        return out;
    }

    /** For each row i of the m × n cross block, argmin_j ‖x_i − y_j‖². */
    static int[] nearestInColumns(float[] xy, int m, int n) {
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            int base = i * n;
            int best = 0;
            for (int j = 1; j < n; j++) {
                if (xy[base + j] < xy[base + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** For each column j of the m × n cross block, min_i ‖x_i − y_j‖². */
    static float[] minOverRows(float[] xy, int m, int n) {
        float[] out = new float[n];
        Arrays.fill(out, Float.POSITIVE_INFINITY);
        for (int i = 0; i < m; i++) {
            int base = i * n;
            for (int j = 0; j < n; j++) {
                out[j] = Math.min(out[j], xy[base + j]);
            }
        }
        return out;
    }

    /** For each row i of the m × n cross block, min_j ‖x_i − y_j‖². */
    static float[] minOverColumns(float[] xy, int m, int n) {
        float[] out = new float[m];
        for (int i = 0; i < m; i++) {
            int base = i * n;
            float best = Float.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                best = Math.min(best, xy[base + j]);
            }
            out[i] = best;
        }
        return out;
    }
}
