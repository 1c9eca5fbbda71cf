package dev.genserve.generative.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Fixed sinusoidal features of a scalar: for k = 0…d/2−1, ω_k = exp(−ln(maxPeriod)·k/(d/2)) and
 * φ(t) = [sin(scale·t·ω_k), cos(scale·t·ω_k)]. Used to feed time (or noise level) to MLPs.
 */
public final class SinusoidalEmbedding {

    private final int dim;
    private final float scale;
    private final float[] frequencies;

    /**
     * @param dim number of features (even)
     * @param scale multiplies t first; 1000 suits t ∈ [0, 1]
     */
    public SinusoidalEmbedding(int dim, double scale) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("time feature count must be even and ≥ 2, got " + dim);
        }
        this.dim = dim;
        this.scale = (float) scale;
        int half = dim / 2;
        frequencies = new float[half];
        for (int k = 0; k < half; k++) {
            frequencies[k] = (float) Math.exp(-Math.log(10000.0) * k / half);
        }
    }

    public int dim() {
        return dim;
    }

    /** Features of t (shape N or N × 1) as an N × dim array attached to t's manager. */
    public NDArray embed(NDArray t) {
        NDManager manager = t.getManager();
        NDArray column = t.reshape(-1, 1).mul(scale);
        NDArray freq = manager.create(frequencies).reshape(1, -1).toDevice(t.getDevice(), false);
        NDArray angles = column.matMul(freq);
        return angles.sin().concat(angles.cos(), 1);
    }
}
