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
import dev.genserve.generative.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A small U-Net score network for images (N × C·H·W rows, shape (C, H, W)), conditioned on a vector c (noise-level
 * features, one-hot class) through FiLM in every residual block: with e = SiLU(W_c c + b_c),
 * <pre>
 * h₁ = Res(conv_in x)                      at H × W,      ch channels
 * h₂ = Res(down(h₁))                       at H/2 × W/2,  2ch
 * h₃ = Res(down(h₂))                       at H/4 × W/4,  2ch (middle)
 * u₂ = Res([up(h₃), h₂])                   at H/2 × W/2,  2ch
 * u₁ = Res([up(u₂), h₁])                   at H × W,      ch
 * y = conv_out SiLU(GN(u₁))
 * Res(h) = skip(h) + conv₂ SiLU((1 + a(e)) ⊙ GN(conv₁ SiLU(GN(h))) + b(e))
 * </pre>
 * down is a stride-2 3×3 conv, up a nearest ×2 upsample (cropped to the skip's size), GN a group norm without
 * affine parameters (FiLM supplies them). conv₂ of each block, the FiLM layers and conv_out start at zero
 * ({@link #zeroInitNames}), so an untrained net outputs 0.
 */
public final class ConvScoreNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channelsIn;
    private final int height;
    private final int width;
    private final int condDim;
    private final Linear condition;
    private final Block convIn;
    private final Block down1;
    private final Block down2;
    private final ResBlock[] blocks;
    private final Block convOut;

    /** A residual block with FiLM conditioning; its children are registered on the parent. */
    private final class ResBlock {
        final int in;
        final int out;
        final Block conv1;
        final Linear film;
        final Block conv2;
        final Block skip;

        ResBlock(String name, int in, int out) {
            this.in = in;
            this.out = out;
            conv1 = addChildBlock(name + "_conv1", conv(out, 3, 1));
            film = addChildBlock(name + "_film", Linear.builder().setUnits(2L * out).build());
            conv2 = addChildBlock(name + "_conv2", conv(out, 3, 1));
            skip = in == out ? null : addChildBlock(name + "_skip", conv(out, 1, 1));
        }

        NDArray apply(ParameterStore store, NDArray h, NDArray e, boolean training) {
            NDArray u = one(conv1, store, Networks.silu(groupNorm(h)), training);
            NDArray f = one(film, store, e, training);
            long n = f.getShape().get(0);
            NDArray scale = f.get(":, :" + out).reshape(n, out, 1, 1);
            NDArray shift = f.get(":, " + out + ":").reshape(n, out, 1, 1);
            NDArray normed = groupNorm(u);
            // (1 + a) ⊙ u + b without a scalar operand on the gradient path (see Networks.silu)
            u = Networks.silu(normed.add(normed.mul(scale)).add(shift));
            u = one(conv2, store, u, training);
            return (skip == null ? h : one(skip, store, h, training)).add(u);
        }

        void initialize(NDManager manager, DataType type, Shape shape, Shape embedding) {
            Shape inner = new Shape(shape.get(0), out, shape.get(2), shape.get(3));
            conv1.initialize(manager, type, shape);
            film.initialize(manager, type, embedding);
            conv2.initialize(manager, type, inner);
            if (skip != null) {
                skip.initialize(manager, type, shape);
            }
        }
    }

    /**
     * @param imageShape (C, H, W)
     * @param condDim width of the conditioning vector
     * @param channels channels of the first stage (the others have twice as many)
     */
    public ConvScoreNet(int[] imageShape, int condDim, int channels) {
        super(VERSION);
        if (imageShape == null || imageShape.length != 3 || condDim < 1 || channels < 2) {
            throw new IllegalArgumentException("invalid conv score net: condDim=" + condDim + " channels="
                    + channels);
        }
        this.channelsIn = imageShape[0];
        this.height = imageShape[1];
        this.width = imageShape[2];
        this.condDim = condDim;
        int c = channels;
        condition = addChildBlock("condition", Linear.builder().setUnits(4L * c).build());
        convIn = addChildBlock("conv_in", conv(c, 3, 1));
        down1 = addChildBlock("down1", conv(2 * c, 3, 2));
        down2 = addChildBlock("down2", conv(2 * c, 3, 2));
        List<ResBlock> list = new ArrayList<>();
        list.add(new ResBlock("res1", c, c));
        list.add(new ResBlock("res2", 2 * c, 2 * c));
        list.add(new ResBlock("mid", 2 * c, 2 * c));
        list.add(new ResBlock("up2", 4 * c, 2 * c));
        list.add(new ResBlock("up1", 3 * c, c));
        blocks = list.toArray(new ResBlock[0]);
        convOut = addChildBlock("output", conv(channelsIn, 3, 1));
    }

    private static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).build();
    }

    /** Parameter-name fragments that start at zero (see {@link Networks#initialize}). */
    public static Set<String> zeroInitNames() {
        return Set.of("_conv2", "_film", "output");
    }

    /** The input shapes to pass to {@code initialize}. */
    public Shape[] inputShapes() {
        return new Shape[] {new Shape(1, (long) channelsIn * height * width), new Shape(1, condDim)};
    }

    /** Runs the network on flattened images x (N × C·H·W) and c (N × cond). */
    public NDArray apply(ParameterStore store, NDArray x, NDArray cond, boolean training) {
        return forward(store, new NDList(x, cond), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        long n = x.getShape().get(0);
        NDArray e = Networks.silu(one(condition, store, inputs.get(1), training));
        NDArray h1 = blocks[0].apply(store, one(convIn, store, x.reshape(n, channelsIn, height, width), training), e,
                training);
        NDArray h2 = blocks[1].apply(store, one(down1, store, h1, training), e, training);
        NDArray h3 = blocks[2].apply(store, one(down2, store, h2, training), e, training);
        NDArray u2 = blocks[3].apply(store, upTo(h3, h2).concat(h2, 1), e, training);
        NDArray u1 = blocks[4].apply(store, upTo(u2, h1).concat(h1, 1), e, training);
        NDArray y = one(convOut, store, Networks.silu(groupNorm(u1)), training);
        return new NDList(y.reshape(n, (long) channelsIn * height * width));
    }

    /** Nearest ×2 upsampling of h, cropped to the spatial size of {@code like}. */
    private static NDArray upTo(NDArray h, NDArray like) {
        NDArray up = ConvImageGenerator.upsample(h);
        long hh = like.getShape().get(2);
        long ww = like.getShape().get(3);
        if (up.getShape().get(2) != hh || up.getShape().get(3) != ww) {
            up = up.get(new NDIndex(":, :, :{}, :{}", hh, ww));
        }
        return up;
    }

    /** Group norm over groups of channels (8 groups when the channel count allows, else 1), no affine part. */
    static NDArray groupNorm(NDArray h) {
        Shape s = h.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long groups = c % 8 == 0 ? 8 : c % 4 == 0 ? 4 : 1;
        NDArray g = h.reshape(n, groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centred = g.sub(mean);
        NDArray variance = centred.square().mean(new int[] {2}, true);
        // ε as a native array, not a scalar operand (see Networks.silu)
        NDArray eps = FloatMatrix.nativeCopy(h.getManager(), new float[] {1e-5f}, new Shape(1, 1, 1));
        return centred.div(variance.add(eps).sqrt()).reshape(s);
    }

    private static NDArray one(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), (long) channelsIn * height * width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        Shape embedding = new Shape(b, condition.getOutputShapes(new Shape[] {new Shape(b, condDim)})[0].get(1));
        condition.initialize(manager, dataType, new Shape(b, condDim));
        Shape embed = new Shape(b, blocks[0].out * 4L);
        int c = blocks[0].out;
        Shape full = new Shape(b, channelsIn, height, width);
        convIn.initialize(manager, dataType, full);
        Shape s1 = new Shape(b, c, height, width);
        blocks[0].initialize(manager, dataType, s1, embed);
        down1.initialize(manager, dataType, s1);
        Shape s2 = down1.getOutputShapes(new Shape[] {s1})[0];
        blocks[1].initialize(manager, dataType, s2, embed);
        down2.initialize(manager, dataType, s2);
        Shape s3 = down2.getOutputShapes(new Shape[] {s2})[0];
        blocks[2].initialize(manager, dataType, s3, embed);
        blocks[3].initialize(manager, dataType, new Shape(b, 4L * c, s2.get(2), s2.get(3)), embed);
        blocks[4].initialize(manager, dataType, new Shape(b, 3L * c, height, width), embed);
        convOut.initialize(manager, dataType, s1);
        if (embedding.get(1) != embed.get(1)) {
            throw new IllegalStateException("conditioning width mismatch");
        }
    }
}
