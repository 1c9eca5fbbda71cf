package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.FourierFeatures;

/**
 * The vector generator x = MLP([z, φ(z), c]) (SiLU, {@code depth} hidden layers of width {@code hidden}). With
 * {@code fourierFeatures} = F &gt; 0, φ(z) = [sin(2πBz), cos(2πBz)] ({@link FourierFeatures}: a fixed B of
 * noiseDim × F entries N(0, σ²) drawn from the config's seed, rebuilt identically at load, never saved): periodic features
 * of the noise let a smooth network cut the noise space into many small cells, which is what disconnected or thin
 * targets (a grid of tight modes, thin spiral arms) need (Tancik et al. 2020).
 */
public final class MlpDriftingGenerator implements DriftingNetwork {

    private final ConditionedMlp mlp;
    private final int noiseDim;
    private final int condDim;
    private final FourierFeatures fourier;

    public MlpDriftingGenerator(int noiseDim, int condDim, int hidden, int depth, int dimension) {
        this(noiseDim, condDim, hidden, depth, dimension, 0, 1.0, 0L);
    }

    /**
     * @param fourier number F of random Fourier frequencies of the noise (0 = none)
     * @param fourierScale σ of the frequencies
     * @param seed seed of the frequencies
     */
    public MlpDriftingGenerator(int noiseDim, int condDim, int hidden, int depth, int dimension, int fourier,
            double fourierScale, long seed) {
        this.mlp = new ConditionedMlp(noiseDim + 2 * fourier, condDim, hidden, depth, dimension);
        this.noiseDim = noiseDim;
        this.condDim = condDim;
        this.fourier = fourier > 0 ? new FourierFeatures(noiseDim, fourier, fourierScale, seed) : null;
    }

    @Override
    public Block block() {
        return mlp;
    }

    @Override
    public int noiseDim() {
        return noiseDim;
    }

    @Override
    public int condDim() {
        return condDim;
    }

    @Override
    public Shape[] inputShapes() {
        return mlp.inputShapes();
    }

    @Override
    public NDArray generate(ParameterStore store, NDArray noise, NDArray cond, boolean training) {
        NDArray input = noise;
        if (fourier != null) {
            input = noise.concat(fourier.apply(noise), 1);
        }
        return mlp.apply(store, input, condDim == 0 ? null : cond, training);
    }
}
