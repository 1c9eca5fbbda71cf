package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.data.StratifiedSample;
import dev.genserve.generative.nn.ConditionedMlp;
import dev.genserve.generative.nn.Networks;

/**
 * A mixture generator: x = MLP([z, c]) + s·E_k, with a learned codebook E of K offsets (D × K, column k = E_k) and a
 * uniform code k ~ U{0..K−1} drawn from the noise. Each code is a free "particle" that the drift field moves on its
 * own, while the shared MLP spreads the mass around it: a smooth network cannot tear one continuous latent into the
 * 25 islands of a grid (measured: it fills the square), a codebook can. The scale s = {@value #SCALE} gives the
 * offsets s times the network's learning rate under Adam (whose step is invariant to the gradient's scale). The
 * offsets start at K training rows (see {@link #initializeOffsets}).
 */
final class CodebookMlp extends AbstractBlock {

    private static final byte VERSION = 1;
    static final float SCALE = 10f;

    private final ConditionedMlp mlp;
    private final Linear codebook;
    private final int codes;
    private final int outputDim;

    /**
     * @param mlp the shared network on [z, c]
     * @param codes K, the codebook size
     * @param outputDim D
     */
    CodebookMlp(ConditionedMlp mlp, int codes, int outputDim) {
        super(VERSION);
        this.mlp = addChildBlock("mlp", mlp);
        this.codebook = addChildBlock("codebook", Linear.builder().setUnits(outputDim).optBias(false).build());
        this.codes = codes;
        this.outputDim = outputDim;
    }

    /**
     * Starts the offsets at K training rows, one from each of K equal-mass cells ({@link StratifiedSample}; E = row/s,
     * rows cycling when there are fewer than K), so each mode starts with codes in proportion to its mass: the field
     * hardly moves a code from one mode to another, so the counts it starts with are the mixture weights it keeps.
     * With no rows, E is drawn from N(0, 1/s²), offsets N(0, 1) in standardised units.
     */
    void initializeOffsets(long seed, FloatMatrix rows) {
        NDArray weight = codebook.getParameters().valueAt(0).getArray();
        RandomSource random = new RandomSource(RandomSource.mix(seed, 0xC0DEL));
        float[] values;
        if (rows == null || rows.rows() == 0) {
            values = random.gaussians(Math.toIntExact(weight.size()));
        } else {
            int[] chosen = StratifiedSample.indices(rows, codes, random);
            values = new float[codes * outputDim];
            for (int k = 0; k < codes; k++) {
                for (int d = 0; d < outputDim; d++) {
                    values[d * codes + k] = rows.get(chosen[k], d); // the weight is D × K: column k is offset k
                }
            }
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= SCALE;
        }
        Networks.assign(weight, values);
    }

    /**
     * Input shapes for {@code initialize}: z, the code as a one-hot (the shape the offsets' K × D layer is initialised
     * from; {@link #apply} takes the indices), and c when conditional.
     */
    Shape[] inputShapes() {
        Shape[] inner = mlp.inputShapes();
        return inner.length == 1
                ? new Shape[] {inner[0], new Shape(1, codes)}
                : new Shape[] {inner[0], new Shape(1, codes), inner[1]};
    }

    /** x = MLP(z, c) + s·E_code, code the N INT64 indices; cond may be null for an unconditional generator. */
    NDArray apply(ParameterStore store, NDArray z, NDArray code, NDArray cond, boolean training) {
        NDList in = cond == null ? new NDList(z, code) : new NDList(z, code, cond);
        return forward(store, in, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.get(0);
        NDArray code = inputs.get(1);
        NDArray cond = inputs.size() > 2 ? inputs.get(2) : null;
        NDArray body = mlp.apply(store, z, cond, training);
        // E_k gathered by index (the same values E·onehot(k) gives, without the N × K one-hot and its product). The
        // results go to the inputs' manager: an op on the weight alone would put them in the model's long-lived one.
        NDManager m = code.getManager();
        NDArray weight = store.getValue(codebook.getParameters().get("weight"), z.getDevice(), training);
        NDArray transposed = weight.transpose();
        transposed.attach(m);
        NDArray offset = transposed.get(m, new NDIndex("{}", code));
        // a native scalar operand: a Java-buffer scalar would be aliased inside the autograd graph
        NDArray scale = m.full(new Shape(1), SCALE);
        return new NDList(body.add(offset.mul(scale)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] inner = inputShapes.length > 2
                ? new Shape[] {inputShapes[0], inputShapes[2]}
                : new Shape[] {inputShapes[0]};
        mlp.initialize(manager, dataType, inner);
        codebook.initialize(manager, dataType, inputShapes[1]);
    }
}
