package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.FourierFeatures;

/**
 * The vector generator x = MLP([z, φ(z), c]) (SiLU, {@code depth} hidden layers of width {@code hidden}). With
 * {@code fourierFeatures} = F &gt; 0, φ(z) = [sin(2πBz), cos(2πBz)] ({@link FourierFeatures}: a fixed B of
 * noiseDim × F entries N(0, σ²) drawn from the config's seed, rebuilt identically at load, never saved): periodic features
 * of the noise let a smooth network cut the noise space into many small cells, which is what disconnected or thin
 * targets (a grid of tight modes, thin spiral arms) need (Tancik et al. 2020). With {@code noiseCodes} = K &gt; 0 the
 * last noise coordinate z_d is replaced by a one-hot categorical code ⌊K·Φ(z_d)⌋ (Φ the normal CDF, so the code is
 * uniform on K values): a discrete latent lets the generator put separate modes on separate codes instead of
 * stretching one continuous map across the empty space between them. With {@code codebook} = K &gt; 0 that code
 * instead selects a learned offset added to the output ({@link CodebookMlp}: x = MLP([z, φ(z), c]) + s·E_k), a
 * mixture of K shifted copies of one smooth map.
 */
public final class MlpDriftingGenerator implements DriftingNetwork {

    private final ConditionedMlp mlp;
    private final CodebookMlp book;
    private final int noiseDim;
    private final int condDim;
    private final FourierFeatures fourier;
    private final int codes;

    public MlpDriftingGenerator(int noiseDim, int condDim, int hidden, int depth, int dimension) {
        this(noiseDim, condDim, hidden, depth, dimension, 0, 1.0, 0L, 0, 0);
    }

    /**
     * @param fourier number F of random Fourier frequencies of the noise (0 = none)
     * @param fourierScale σ of the frequencies
     * @param seed seed of the frequencies
     * @param codes K &gt; 0: the last noise coordinate becomes a uniform categorical code one-hot in K (see the
     *     class comment); 0 = none
     * @param codebook K &gt; 0: the last noise coordinate selects one of K learned output offsets
     *     ({@link CodebookMlp}); 0 = none; exclusive with {@code codes}
     */
    public MlpDriftingGenerator(int noiseDim, int condDim, int hidden, int depth, int dimension, int fourier,
            double fourierScale, long seed, int codes, int codebook) {
        if ((codes > 0 || codebook > 0) && noiseDim < 2) {
            throw new IllegalArgumentException("a noise code needs noiseDim ≥ 2");
        }
        if (codes > 0 && codebook > 0) {
            throw new IllegalArgumentException("noiseCodes and codebook are exclusive");
        }
        this.codes = Math.max(codes, codebook);
        int continuous = this.codes > 0 ? noiseDim - 1 : noiseDim;
        this.mlp = new ConditionedMlp(continuous + 2 * fourier + codes, condDim, hidden, depth, dimension);
        this.book = codebook > 0 ? new CodebookMlp(mlp, codebook, dimension) : null;
        this.noiseDim = noiseDim;
        this.condDim = condDim;
        this.fourier = fourier > 0 ? new FourierFeatures(continuous, fourier, fourierScale, seed) : null;
    }

    /** one-hot(⌊K·Φ(z)⌋): a standard normal z turned into a uniform code in [0, K), as N × K. */
    NDArray categorical(NDArray z) {
        return codeIndex(z).oneHot(codes);
    }

    /** ⌊K·Φ(z)⌋ as N INT64 indices in [0, K): the code without its N × K one-hot. */
    NDArray codeIndex(NDArray z) {
        NDManager m = z.getManager();
        NDArray half = m.full(new Shape(1), 0.5f);
        NDArray uniform = z.mul(m.full(new Shape(1), (float) (1 / Math.sqrt(2)))).erf().add(m.full(new Shape(1), 1f))
                .mul(half);
        NDArray index = uniform.mul(m.full(new Shape(1), (float) codes)).floor().clip(0, codes - 1);
        return index.toType(ai.djl.ndarray.types.DataType.INT64, false);
    }

    @Override
    public void initializeSpecial(long seed, FloatMatrix rows) {
        if (book != null) {
            book.initializeOffsets(seed, rows);
        }
    }

    @Override
    public Block block() {
        return book != null ? book : mlp;
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
        return book != null ? book.inputShapes() : mlp.inputShapes();
    }

    @Override
    public NDArray generate(ParameterStore store, NDArray noise, NDArray cond, boolean training) {
        NDArray input = noise;
        NDArray code = null;
        if (codes > 0) {
            long d = noise.getShape().get(1);
            input = noise.get(":, :" + (d - 1));
            NDArray last = noise.get(":, " + (d - 1));
            code = book != null ? codeIndex(last) : categorical(last);
        }
        if (fourier != null) {
            input = input.concat(fourier.apply(input), 1);
        }
        if (book != null) {
            return book.apply(store, input, code, condDim == 0 ? null : cond, training);
        }
        if (code != null) {
            input = input.concat(code, 1);
        }
        return mlp.apply(store, input, condDim == 0 ? null : cond, training);
    }
}
