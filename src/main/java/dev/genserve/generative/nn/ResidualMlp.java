package dev.genserve.generative.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A residual MLP whose conditioning (time or noise-level features, class embeddings) enters every block through
 * FiLM, not only the input: with the conditioning embedding e = SiLU(W_c c + b_c) (width {@code conditionWidth},
 * the stream width by default; a narrow one keeps the FiLM layers cheap),
 * <pre>
 * h₀ = W_in [x, γ(x)] + b_in                     (γ = Fourier features of x, optional)
 * h_{k+1} = h_k + W₂ SiLU((1 + a_k(e)) ⊙ LN(W₁ SiLU(h_k)) + b_k(e))     (a_k, b_k linear in e)
 * y = W_out SiLU(LN(h_L)) + b_out
 * </pre>
 * The last layer of each block and the output layer start at zero scale (see {@link #zeroInitNames}), so an
 * untrained network is the identity on h and outputs ≈ 0, which trains stably at depth.
 */
public final class ResidualMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputDim;
    private final int condDim;
    private final int outputDim;
    private final int hidden;
    private final int conditionWidth;
    private final FourierFeatures fourier;
    private final Linear input;
    private final Linear condition;
    private final List<Linear> firsts = new ArrayList<>();
    private final List<LayerNorm> norms = new ArrayList<>();
    private final List<Linear> films = new ArrayList<>();
    private final List<Linear> seconds = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear output;

    /**
     * @param inputDim width of x
     * @param condDim width of the conditioning c (≥ 1)
     * @param hidden width of the residual stream
     * @param blocks number of residual blocks (≥ 1)
     * @param outputDim width of the output
     * @param fourier Fourier features of x concatenated to x at the input, or null for none
     */
    public ResidualMlp(int inputDim, int condDim, int hidden, int blocks, int outputDim, FourierFeatures fourier) {
        this(inputDim, condDim, hidden, blocks, outputDim, fourier, hidden);
    }

    /**
     * As {@link #ResidualMlp(int, int, int, int, int, FourierFeatures)} with a conditioning embedding e of width
     * {@code conditionWidth}: each block's FiLM layer costs conditionWidth × 2·hidden multiply-adds per row instead
     * of hidden × 2·hidden.
     */
    public ResidualMlp(int inputDim, int condDim, int hidden, int blocks, int outputDim, FourierFeatures fourier,
            int conditionWidth) {
        super(VERSION);
        if (inputDim < 1 || condDim < 1 || hidden < 1 || blocks < 1 || outputDim < 1 || conditionWidth < 1) {
            throw new IllegalArgumentException("invalid residual MLP sizes: in=" + inputDim + " cond=" + condDim
                    + " hidden=" + hidden + " blocks=" + blocks + " out=" + outputDim + " conditionWidth="
                    + conditionWidth);
        }
        if (fourier != null && fourier.inputDim() != inputDim) {
            throw new IllegalArgumentException("Fourier features are for dimension " + fourier.inputDim()
                    + ", not " + inputDim);
        }
        this.inputDim = inputDim;
        this.condDim = condDim;
        this.outputDim = outputDim;
        this.hidden = hidden;
        this.conditionWidth = conditionWidth;
        this.fourier = fourier;
        input = addChildBlock("input", Linear.builder().setUnits(hidden).build());
        condition = addChildBlock("condition", Linear.builder().setUnits(conditionWidth).build());
        for (int k = 0; k < blocks; k++) {
            firsts.add(addChildBlock("block" + k + "_first", Linear.builder().setUnits(hidden).build()));
            norms.add(addChildBlock("block" + k + "_norm", LayerNorm.builder().build()));
            films.add(addChildBlock("block" + k + "_film", Linear.builder().setUnits(2L * hidden).build()));
            seconds.add(addChildBlock("block" + k + "_second", Linear.builder().setUnits(hidden).build()));
        }
        finalNorm = addChildBlock("final_norm", LayerNorm.builder().build());
        output = addChildBlock("output", Linear.builder().setUnits(outputDim).build());
    }

    /** The input shapes to pass to {@code initialize}. */
    public Shape[] inputShapes() {
        return new Shape[] {new Shape(1, inputDim), new Shape(1, condDim)};
    }

    /**
     * Parameter-name fragments whose weights should start at zero (the residual branches' last layers, the FiLM
     * layers and the output), for {@link Networks#initialize(ai.djl.nn.Block, NDManager, long, java.util.Set,
     * Shape...)}.
     */
    public static java.util.Set<String> zeroInitNames() {
        return java.util.Set.of("_second", "_film", "output");
    }

    /** Runs the network on x (N × in) and c (N × cond). */
    public NDArray apply(ParameterStore store, NDArray x, NDArray cond, boolean training) {
        return forward(store, new NDList(x, cond), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray in = fourier == null ? x : x.concat(fourier.apply(x), 1);
        NDArray h = one(input, store, in, training);
        NDArray e = Networks.silu(one(condition, store, inputs.get(1), training));
        for (int k = 0; k < firsts.size(); k++) {
            NDArray u = one(firsts.get(k), store, Networks.silu(h), training);
            u = one(norms.get(k), store, u, training);
            NDArray film = one(films.get(k), store, e, training);
            // (1 + a) ⊙ u + b, written without a scalar operand (see Networks.silu)
            NDArray scale = film.get(":, :" + hidden);
            NDArray shift = film.get(":, " + hidden + ":");
            u = Networks.silu(u.add(u.mul(scale)).add(shift));
            h = h.add(one(seconds.get(k), store, u, training));
        }
        NDArray y = one(output, store, Networks.silu(one(finalNorm, store, h, training)), training);
        return new NDList(y);
    }

    private static NDArray one(ai.djl.nn.Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        int in = inputDim + (fourier == null ? 0 : fourier.dim());
        Shape stream = new Shape(batch, hidden);
        input.initialize(manager, dataType, new Shape(batch, in));
        condition.initialize(manager, dataType, new Shape(batch, condDim));
        for (int k = 0; k < firsts.size(); k++) {
            firsts.get(k).initialize(manager, dataType, stream);
            norms.get(k).initialize(manager, dataType, stream);
            films.get(k).initialize(manager, dataType, new Shape(batch, conditionWidth));
            seconds.get(k).initialize(manager, dataType, stream);
        }
        finalNorm.initialize(manager, dataType, stream);
        output.initialize(manager, dataType, stream);
    }
}
