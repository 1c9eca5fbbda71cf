package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The softened mean-field attraction F_p(y) = E_{x~p}[(x − y)/(‖x − y‖² + δ²)], estimated over a particle cloud.
 * With w_ij = 1/(‖x_j − y_i‖² + δ²) it is F(y_i) = (Σ_j w_ij x_j − y_i Σ_j w_ij)/n, one N×N weight matrix and one
 * matmul (O(N²D)); query rows are processed in tiles so that memory stays O(tile·N). |F| ≤ 1/(2δ) for any cloud.
 */
public final class MeanFieldAttraction {

    /** Default number of query rows per tile. */
    public static final int DEFAULT_TILE = 1024;

    private final double delta;
    private final int tile;

    /**
     * @param delta softening δ &gt; 0
     * @param tile query rows per tile (≥ 1)
     */
    public MeanFieldAttraction(double delta, int tile) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("delta must be > 0, got " + delta);
        }
        if (tile < 1) {
            throw new IllegalArgumentException("tile must be ≥ 1, got " + tile);
        }
        this.delta = delta;
        this.tile = tile;
    }

    /**
     * F at every particle of the cloud x (N × D), each particle excluded from its own average (denominator N − 1;
     * F = 0 for a single particle). The result is attached to x's manager.
     */
    public NDArray selfField(NDArray x) {
        return field(x, x, true);
    }

    /** F at the query points (Q × D) estimated from the reference cloud (M × D), nothing excluded. */
    public NDArray fieldAt(NDArray query, NDArray cloud) {
        return field(query, cloud, false);
    }

    private NDArray field(NDArray query, NDArray cloud, boolean excludeSelf) {
        NDManager owner = query.getManager();
        int q = Math.toIntExact(query.getShape().get(0));
        int d = Math.toIntExact(query.getShape().get(1));
        int n = Math.toIntExact(cloud.getShape().get(0));
        if (cloud.getShape().get(1) != d) {
            throw new IllegalArgumentException("query has " + d + " columns but the cloud has " + cloud.getShape().get(1));
        }
        float[] out = new float[q * d];
        int count = excludeSelf ? n - 1 : n;
        if (count > 0) {
            float d2 = (float) (delta * delta);
            try (NDManager scope = owner.newSubManager()) {
                float[] queryValues = floats(query);
                NDArray xs = scope.create(floats(cloud), new Shape(n, d));
                NDArray cloudNorms = xs.square().sum(new int[] {1}).reshape(1, n);
                for (int from = 0; from < q; from += tile) {
                    int to = Math.min(q, from + tile);
                    try (NDManager tileScope = scope.newSubManager()) {
                        NDArray y = tileScope.create(
                                java.util.Arrays.copyOfRange(queryValues, from * d, to * d), new Shape(to - from, d));
                        NDArray yNorms = y.square().sum(new int[] {1}, true);
                        NDArray dist2 = yNorms.add(cloudNorms).sub(y.matMul(xs.transpose()).mul(2)).maximum(0f);
                        // The self term w_ii (x_i − y_i) is identically zero, so excluding it only changes the
                        // denominator (N − 1): no mask is needed.
                        NDArray w = dist2.add(d2).getNDArrayInternal().rdiv(1f);
                        NDArray f = w.matMul(xs).sub(y.mul(w.sum(new int[] {1}, true))).div((float) count);
                        System.arraycopy(f.toFloatArray(), 0, out, from * d, (to - from) * d);
                    }
                }
            }
        }
        return owner.create(out, new Shape(q, d));
    }

    private static float[] floats(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
