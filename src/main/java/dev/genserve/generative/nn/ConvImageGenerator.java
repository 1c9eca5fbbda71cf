package dev.genserve.generative.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A small image generator: [z, c] → Linear → SiLU → reshape (ch, ⌈H/4⌉, ⌈W/4⌉) → two (nearest ×2 upsample, 3×3 conv,
 * SiLU) stages (ch, then ch/2 channels) → 3×3 conv to C channels → crop to H×W → flattened N × C·H·W.
 */
public final class ConvImageGenerator extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputDim;
    private final int condDim;
    private final int channels;
    private final int outChannels;
    private final int height;
    private final int width;
    private final int baseH;
    private final int baseW;
    private final Linear project;
    private final Block up1;
    private final Block up2;
    private final Block output;

    /**
     * @param inputDim noise width
     * @param condDim conditioning width (0 for none)
     * @param channels channels after the projection (≥ 2)
     * @param imageShape (C, H, W) of the output
     */
    public ConvImageGenerator(int inputDim, int condDim, int channels, int[] imageShape) {
        super(VERSION);
        if (inputDim < 1 || condDim < 0 || channels < 2 || imageShape == null || imageShape.length != 3) {
            throw new IllegalArgumentException("invalid conv generator sizes: in=" + inputDim + " cond=" + condDim
                    + " channels=" + channels);
        }
        this.inputDim = inputDim;
        this.condDim = condDim;
        this.channels = channels;
        this.outChannels = imageShape[0];
        this.height = imageShape[1];
        this.width = imageShape[2];
        this.baseH = (height + 3) / 4;
        this.baseW = (width + 3) / 4;
        project = addChildBlock("project", Linear.builder().setUnits((long) channels * baseH * baseW).build());
        up1 = addChildBlock("up1", Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(channels)
                .optPadding(new Shape(1, 1)).build());
        up2 = addChildBlock("up2", Conv2d.builder().setKernelShape(new Shape(3, 3))
                .setFilters(Math.max(1, channels / 2)).optPadding(new Shape(1, 1)).build());
        output = addChildBlock("output", Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(outChannels)
                .optPadding(new Shape(1, 1)).build());
    }

    /** The input shapes to pass to {@code initialize}. */
    public Shape[] inputShapes() {
        return condDim == 0
                ? new Shape[] {new Shape(1, inputDim)}
                : new Shape[] {new Shape(1, inputDim), new Shape(1, condDim)};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.size() == 1 ? inputs.get(0) : inputs.get(0).concat(inputs.get(1), 1);
        long n = h.getShape().get(0);
        h = Networks.silu(project.forward(store, new NDList(h), training).singletonOrThrow());
        h = h.reshape(n, channels, baseH, baseW);
        h = Networks.silu(up1.forward(store, new NDList(upsample(h)), training).singletonOrThrow());
        h = Networks.silu(up2.forward(store, new NDList(upsample(h)), training).singletonOrThrow());
        h = output.forward(store, new NDList(h), training).singletonOrThrow();
        if (h.getShape().get(2) != height || h.getShape().get(3) != width) {
            h = h.get(new NDIndex(":, :, :{}, :{}", height, width));
        }
        return new NDList(h.reshape(n, (long) outChannels * height * width));
    }

    /** Nearest-neighbour ×2 upsampling: (N, C, H, W) → (N, C, 2H, 2W). */
    static NDArray upsample(NDArray h) {
        Shape s = h.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long hh = s.get(2);
        long ww = s.get(3);
        return h.reshape(n, c, hh, 1, ww, 1).broadcast(new Shape(n, c, hh, 2, ww, 2)).reshape(n, c, 2 * hh, 2 * ww);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), (long) outChannels * height * width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape shape = new Shape(batch, inputDim + condDim);
        project.initialize(manager, dataType, shape);
        shape = new Shape(batch, channels, baseH, baseW);
        for (Block block : new Block[] {up1, up2, output}) {
            if (block != output) {
                shape = new Shape(shape.get(0), shape.get(1), 2 * shape.get(2), 2 * shape.get(3));
            }
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
    }
}
