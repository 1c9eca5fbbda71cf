package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.nn.ConditionedMlp;

/**
 * The vector generator x = MLP([z, φ(z), c]) (SiLU, {@code depth} hidden layers of width {@code hidden}). With
 * {@code fourierFeatures} = F &gt; 0, φ(z) = [sin(2πBz), cos(2πBz)] for a fixed B (noiseDim × F, entries
 * N(0, σ²), drawn from the config's seed, so it is rebuilt identically at load and never saved): periodic features
 * of the noise let a smooth network cut the noise space into many small cells, which is what disconnected or thin
 * targets (a grid of tight modes, thin spiral arms) need (Tancik et al. 2020).
 */
public final class MlpDriftingGenerator implements DriftingNetwork {

    private final ConditionedMlp mlp;
    private final int noiseDim;
    private final int condDim;
    private final int fourier;
    private final float[] frequencies;

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
        this.fourier = fourier;
        this.frequencies = new float[noiseDim * fourier];
        RandomSource random = new RandomSource(RandomSource.mix(seed, 0xF0F1L));
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = (float) (2 * Math.PI * fourierScale * random.nextGaussian());
        }
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
        if (fourier > 0) {
            NDArray b = FloatMatrix.nativeCopy(noise.getManager(), frequencies, new Shape(noiseDim, fourier));
            NDArray phase = noise.matMul(b);
            input = NDArrays.concat(new NDList(noise, phase.sin(), phase.cos()), 1);
        }
        return mlp.apply(store, input, condDim == 0 ? null : cond, training);
    }
}
