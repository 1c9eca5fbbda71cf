package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import java.util.Arrays;

/**
 * The softened mean-field attraction F_p(y) = E_{x~p}[(x − y)/(‖x − y‖² + δ²)], estimated over a particle cloud.
 * With w_ij = 1/(‖x_j − y_i‖² + δ²) it is F(y_i) = (Σ_j w_ij x_j − y_i Σ_j w_ij)/n, one N×N weight matrix and one
 * matmul (O(N²D)); query rows are processed in tiles so that memory stays O(tile·N). |F| ≤ 1/(2δ) for any cloud.
 * Its divergence, needed by the linearised window transitions ({@link GaussianWindows}), is
 * ∇·F(y_i) = Σ_j [(2 − D) w_ij − 2δ² w_ij²]/n (in 2-D a smoothed density: −2δ² E[w²] ≤ 0).
 */
public final class MeanFieldAttraction {

    /** Default number of query rows per tile. */
    public static final int DEFAULT_TILE = 1024;

    private final double delta;
    private final int tile;

    /** F at every query row (Q × D, row-major) and ∇·F (Q), estimated from one cloud. */
    public record FieldAndDivergence(float[] field, float[] divergence) {}

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
        float[] cloud = floats(x);
        int n = Math.toIntExact(x.getShape().get(0));
        int d = Math.toIntExact(x.getShape().get(1));
        float[] f = compute(x.getManager(), cloud, n, cloud, n, d, true, false).field();
        return FloatMatrix.nativeCopy(x.getManager(), f, new Shape(n, d));
    }

    /** F at the query points (Q × D) estimated from the reference cloud (M × D), nothing excluded. */
    public NDArray fieldAt(NDArray query, NDArray cloud) {
        int q = Math.toIntExact(query.getShape().get(0));
        int d = Math.toIntExact(query.getShape().get(1));
        float[] f = compute(query.getManager(), floats(query), q, floats(cloud), Math.toIntExact(cloud.getShape().get(0)),
                checkColumns(cloud, d), false, false).field();
        return FloatMatrix.nativeCopy(query.getManager(), f, new Shape(q, d));
    }

    /**
     * F and ∇·F at the query rows (Q × D row-major) from the cloud (M × D row-major), nothing excluded;
     * temporaries live in sub-managers of {@code manager}.
     */
    public FieldAndDivergence fieldAndDivergenceAt(NDManager manager, float[] query, int q, float[] cloud, int m,
            int d) {
        return compute(manager, query, q, cloud, m, d, false, true);
    }

    private static int checkColumns(NDArray cloud, int d) {
        if (cloud.getShape().get(1) != d) {
            throw new IllegalArgumentException("query has " + d + " columns but the cloud has "
                    + cloud.getShape().get(1));
        }
        return d;
    }

    private FieldAndDivergence compute(NDManager owner, float[] queryValues, int q, float[] cloud, int n, int d,
            boolean excludeSelf, boolean divergence) {
        float[] out = new float[q * d];
        float[] div = divergence ? new float[q] : null;
        int count = excludeSelf ? n - 1 : n;
        if (count > 0) {
            float d2 = (float) (delta * delta);
            try (NDManager scope = owner.newSubManager()) {
                NDArray xs = scope.create(cloud, new Shape(n, d));
                NDArray cloudNorms = xs.square().sum(new int[] {1}).reshape(1, n);
                for (int from = 0; from < q; from += tile) {
                    int to = Math.min(q, from + tile);
                    try (NDManager tileScope = scope.newSubManager()) {
                        NDArray y = tileScope.create(Arrays.copyOfRange(queryValues, from * d, to * d),
                                new Shape(to - from, d));
                        NDArray yNorms = y.square().sum(new int[] {1}, true);
                        NDArray dist2 = yNorms.add(cloudNorms).sub(y.matMul(xs.transpose()).mul(2)).maximum(0f);
                        // The self term w_ii (x_i − y_i) is identically zero, so excluding it only changes the
                        // denominator (N − 1): no mask is needed.
                        NDArray w = dist2.add(d2).getNDArrayInternal().rdiv(1f);
                        NDArray rowSum = w.sum(new int[] {1}, true);
                        NDArray f = w.matMul(xs).sub(y.mul(rowSum)).div((float) count);
                        System.arraycopy(f.toFloatArray(), 0, out, from * d, (to - from) * d);
                        if (divergence) {
                            NDArray dv = rowSum.mul((float) (2 - d)).sub(w.square().sum(new int[] {1}, true)
                                    .mul(2 * d2)).div((float) count);
                            System.arraycopy(dv.toFloatArray(), 0, div, from, to - from);
                        }
                    }
                }
            }
        }
        return new FieldAndDivergence(out, div == null ? new float[0] : div);
    }

    private static float[] floats(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
