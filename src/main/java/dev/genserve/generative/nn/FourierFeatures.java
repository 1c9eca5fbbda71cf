package dev.genserve.generative.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;

/**
 * Random Fourier features of an input (Tancik et al. 2020): γ(x) = [sin(2πBx), cos(2πBx)] with a fixed Gaussian
 * matrix B ∈ R^{m×D}, B_ij ~ N(0, σ²), drawn from a seed so that a saved model needs nothing but its config. They
 * let an MLP represent sharp, high-frequency functions of x (a plain MLP on raw coordinates is biased toward
 * smooth ones); σ sets the highest frequencies (≈ 1–10 suits standardised data).
 */
public final class FourierFeatures {

    private final int inputDim;
    private final int count;
    private final float[] projection;

    /**
     * @param inputDim D
     * @param count m frequencies (2m features)
     * @param scale σ of the frequencies
     * @param seed seed of B
     */
    public FourierFeatures(int inputDim, int count, double scale, long seed) {
        if (inputDim < 1 || count < 1 || !(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("invalid Fourier features: in=" + inputDim + " count=" + count
                    + " scale=" + scale);
        }
        this.inputDim = inputDim;
        this.count = count;
        RandomSource random = new RandomSource(RandomSource.mix(seed, 0xF0F1L));
        projection = new float[inputDim * count];
        for (int i = 0; i < projection.length; i++) {
            projection[i] = (float) (2 * Math.PI * scale * random.nextGaussian());
        }
    }

    /** Number of output features, 2m. */
    public int dim() {
        return 2 * count;
    }

    public int inputDim() {
        return inputDim;
    }

    /** γ(x) for x of shape N × D, as N × 2m attached to x's manager. */
    public NDArray apply(NDArray x) {
        NDArray b = FloatMatrix.nativeCopy(x.getManager(), projection, new Shape(inputDim, count));
        NDArray angles = x.matMul(b);
        return angles.sin().concat(angles.cos(), 1);
    }
}
