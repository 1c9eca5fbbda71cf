package dev.genserve.generative.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.genserve.generative.RandomSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers shared by every network: seeded initialisation (PyTorch's default uniform ±1/√fan_in, drawn from a
 * {@link RandomSource} so that weights are reproducible whatever the engine's global seed), freezing for
 * inference, and parameter (de)serialisation.
 */
public final class Networks {

    private Networks() {}

    /** Initialises the block's shapes, then overwrites every parameter with seeded values. */
    public static void initialize(Block block, NDManager manager, long seed, Shape... inputShapes) {
        initialize(block, manager, seed, java.util.Set.of(), inputShapes);
    }

    /**
     * As {@link #initialize(Block, NDManager, long, Shape...)}, with every parameter whose name contains one of
     * {@code zeroed} set to 0 (zero-initialised residual branches and output layers). The random draws of the other
     * parameters do not depend on which ones are zeroed.
     */
    public static void initialize(Block block, NDManager manager, long seed, java.util.Set<String> zeroed,
            Shape... inputShapes) {
        block.initialize(manager, DataType.FLOAT32, inputShapes);
        RandomSource random = new RandomSource(RandomSource.mix(seed, 0x1417L));
        double bound = 1.0;
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            Shape shape = array.getShape();
            String name = entry.getKey().toLowerCase();
            if (zeroed.stream().anyMatch(name::contains)) {
                fill(array, 0f);
                continue;
            }
            boolean isWeight = shape.dimension() >= 2 || name.endsWith("weight");
            if (name.contains("gamma")) {
                fill(array, 1f);
                continue;
            }
            if (name.contains("beta") || name.contains("running")) {
                fill(array, name.contains("var") ? 1f : 0f);
                continue;
            }
            if (isWeight) {
                long fanIn = shape.dimension() >= 2 ? shape.size() / shape.get(0) : shape.size();
                bound = 1.0 / Math.sqrt(Math.max(1, fanIn));
            }
            float[] values = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
            assign(array, values);
        }
    }

    /**
     * Overwrites an array's values with a copy held in engine-owned memory. {@code NDArray.set} would make the
     * tensor alias a Java direct buffer; a tensor that outlives its first wrapper (a parameter, an optimiser
     * moment) must never depend on Java-side memory, so the values are cloned natively and swapped in.
     */
    public static void assign(NDArray target, float[] values) {
        boolean tracked = target.hasGradient();
        NDArray fresh = dev.genserve.generative.FloatMatrix.nativeCopy(target.getManager(), values, target.getShape());
        if (!fresh.getDevice().equals(target.getDevice())) {
            NDArray moved = fresh.toDevice(target.getDevice(), true);
            fresh.close();
            fresh = moved;
        }
        target.intern(fresh);
        if (tracked) {
            target.setRequiresGradient(true);
        }
    }

    private static void fill(NDArray array, float value) {
        float[] values = new float[Math.toIntExact(array.getShape().size())];
        java.util.Arrays.fill(values, value);
        assign(array, values);
    }

    /**
     * SiLU, x·σ(x). Unlike {@code Activation.swish(x, 1f)}, which computes x·σ(x·β) with β turned into a temporary
     * tensor that aliases a Java direct buffer and is closed at once while autograd keeps it for the backward pass
     * (so the backward may read freed memory once the GC has run: the sporadic non-finite gradients), it involves
     * no scalar operand at all. The same holds for every {@code mul/div/add/sub(Number)} on an array that requires
     * gradients: on training paths, use arrays made with {@link dev.genserve.generative.FloatMatrix#nativeCopy}.
     */
    public static NDArray silu(NDArray x) {
        return x.mul(ai.djl.nn.Activation.sigmoid(x));
    }

    /** Stops gradient tracking on every parameter, for inference-only use. */
    public static void freeze(Block block) {
        for (Pair<String, Parameter> entry : block.getParameters()) {
            entry.getValue().getArray().setRequiresGradient(false);
        }
    }

    /** The block's parameter arrays in a stable order. */
    public static List<NDArray> parameterArrays(Block block) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            arrays.add(entry.getValue().getArray());
        }
        return arrays;
    }

    /** The parameters in DJL's own format ({@code Block.saveParameters}), which round-trips bitwise. */
    public static byte[] toBytes(Block block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Loads parameters written by {@link #toBytes} into an initialised block of the same architecture. */
    public static void fromBytes(Block block, NDManager manager, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("cannot load parameters: " + e.getMessage(), e);
        }
    }
}
