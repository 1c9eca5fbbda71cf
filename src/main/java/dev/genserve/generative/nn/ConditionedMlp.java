package dev.genserve.generative.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * An MLP that maps an input x (N × in) and a conditioning vector c (N × cond) to N × out:
 * h₀ = [x, c], h_{k+1} = SiLU(W_k h_k + b_k), y = W_L h_L + b_L. It is the score network of the diffusion and
 * attractor families (c = time features) and the generator of the drifting family (c = class and guidance).
 * With {@code cond = 0} it takes a single input.
 */
public final class ConditionedMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputDim;
    private final int condDim;
    private final int outputDim;
    private final List<Linear> layers = new ArrayList<>();

    /**
     * @param inputDim width of x
     * @param condDim width of c (0 for none)
     * @param hidden width of each hidden layer
     * @param depth number of hidden layers (≥ 1)
     * @param outputDim width of the output
     */
    public ConditionedMlp(int inputDim, int condDim, int hidden, int depth, int outputDim) {
        super(VERSION);
        if (inputDim < 1 || condDim < 0 || hidden < 1 || depth < 1 || outputDim < 1) {
            throw new IllegalArgumentException("invalid MLP sizes: in=" + inputDim + " cond=" + condDim
                    + " hidden=" + hidden + " depth=" + depth + " out=" + outputDim);
        }
        this.inputDim = inputDim;
        this.condDim = condDim;
        this.outputDim = outputDim;
        for (int i = 0; i < depth; i++) {
            layers.add(addChildBlock("hidden" + i, Linear.builder().setUnits(hidden).build()));
        }
        layers.add(addChildBlock("output", Linear.builder().setUnits(outputDim).build()));
    }

    public int inputDim() {
        return inputDim;
    }

    public int condDim() {
        return condDim;
    }

    /** The input shapes to pass to {@code initialize}. */
    public Shape[] inputShapes() {
        return condDim == 0
                ? new Shape[] {new Shape(1, inputDim)}
                : new Shape[] {new Shape(1, inputDim), new Shape(1, condDim)};
    }

    /** Runs the network on x and c (c may be null when condDim is 0). */
    public NDArray apply(ParameterStore store, NDArray x, NDArray cond, boolean training) {
        NDList in = cond == null ? new NDList(x) : new NDList(x, cond);
        return forward(store, in, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.size() == 1 ? inputs.get(0) : inputs.get(0).concat(inputs.get(1), 1);
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(store, new NDList(h), training).singletonOrThrow();
            if (i < layers.size() - 1) {
                h = Networks.silu(h);
            }
        }
        return new NDList(h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape shape = new Shape(batch, inputDim + condDim);
        for (Linear layer : layers) {
            layer.initialize(manager, dataType, shape);
            shape = layer.getOutputShapes(new Shape[] {shape})[0];
        }
    }
}
