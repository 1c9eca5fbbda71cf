package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.nn.ConditionedMlp;

/** The vector generator x = MLP([z, c]) (SiLU, {@code depth} hidden layers of width {@code hidden}). */
public final class MlpDriftingGenerator implements DriftingNetwork {

    private final ConditionedMlp mlp;
    private final int noiseDim;
    private final int condDim;

    public MlpDriftingGenerator(int noiseDim, int condDim, int hidden, int depth, int dimension) {
        this.mlp = new ConditionedMlp(noiseDim, condDim, hidden, depth, dimension);
        this.noiseDim = noiseDim;
        this.condDim = condDim;
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
        return mlp.apply(store, noise, condDim == 0 ? null : cond, training);
    }
}
