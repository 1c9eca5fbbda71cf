package dev.genserve.generative.metrics;

import dev.genserve.generative.FloatMatrix;

/**
 * Leave-one-out 1-NN two-sample accuracy (Lopez-Paz and Oquab 2017): pool X (generated) and Y (data), label each
 * point by its sample, and classify every point by the label of its nearest other point. The share classified
 * correctly is ≈ 0.5 when X and Y come from one distribution and → 1 when they are separable; a blob, a blur or a
 * dropped mode all push it up. With unequal sizes the chance level moves away from 0.5, so compare equal sizes.
 * A tie between the nearest X and the nearest Y counts half.
 */
public final class NearestNeighbourAccuracy {

    private NearestNeighbourAccuracy() {}

    /** The accuracy for the rows of x against the rows of y (each needs ≥ 2 rows). */
    public static double compute(FloatMatrix x, FloatMatrix y) {
        return compute(PairwiseDistances.of(x, y));
    }

    static double compute(PairwiseDistances d) {
        if (d.m < 2 || d.n < 2) {
            throw new IllegalArgumentException("1-NN accuracy needs at least 2 rows per sample, got " + d.m + " and "
                    + d.n);
        }
        float[] xSelf = nearest(NearestNeighbours.smallestWithin(d.xx, d.m, 1));
        float[] ySelf = nearest(NearestNeighbours.smallestWithin(d.yy, d.n, 1));
        float[] xOther = NearestNeighbours.minOverColumns(d.xy, d.m, d.n);
        float[] yOther = NearestNeighbours.minOverRows(d.xy, d.m, d.n);
        double correct = 0;
        for (int i = 0; i < d.m; i++) {
            correct += score(xSelf[i], xOther[i]);
        }
        for (int j = 0; j < d.n; j++) {
            correct += score(ySelf[j], yOther[j]);
        }
        return correct / (d.m + d.n);
    }

    private static double score(float own, float other) {
        return own < other ? 1.0 : own == other ? 0.5 : 0.0;
    }

    private static float[] nearest(float[][] smallest) {
        return NearestNeighbours.radius(smallest, 1);
    }
}
