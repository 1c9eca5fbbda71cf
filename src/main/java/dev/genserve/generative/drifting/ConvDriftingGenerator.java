package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.nn.ConvImageGenerator;

/** The image generator: {@link ConvImageGenerator} on [z, c], output flattened to C·H·W. */
public final class ConvDriftingGenerator implements DriftingNetwork {

    private final ConvImageGenerator net;
    private final int noiseDim;
    private final int condDim;

    public ConvDriftingGenerator(int noiseDim, int condDim, int channels, int[] imageShape) {
        this.net = new ConvImageGenerator(noiseDim, condDim, channels, imageShape);
        this.noiseDim = noiseDim;
        this.condDim = condDim;
    }

    @Override
    public Block block() {
        return net;
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
        return net.inputShapes();
    }

    @Override
    public NDArray generate(ParameterStore store, NDArray noise, NDArray cond, boolean training) {
        NDList in = condDim == 0 ? new NDList(noise) : new NDList(noise, cond);
        return net.forward(store, in, training).singletonOrThrow();
    }
}
