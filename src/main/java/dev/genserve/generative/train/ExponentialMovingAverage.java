package dev.genserve.generative.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.nn.Networks;
import java.util.ArrayList;
import java.util.List;

/**
 * Shadow copies of the weights, θ̄ ← d·θ̄ + (1 − d)·θ, with the usual warm-up d_t = min(d, (1 + t)/(10 + t)) so
 * that short runs are not dominated by the initial weights. The EMA weights are what a trained model ships.
 *
 * <p>The shadows live back to back in one flat buffer (with a view per weight for checkpoints), so that an update is
 * a handful of ops whatever the number of parameters: the weights flattened and concatenated, then
 * θ̄ ← θ̄·d + θ·(1 − d) on the whole buffer, element for element the same arithmetic as per weight.
 */
public final class ExponentialMovingAverage {

    private final List<NDArray> weights;
    private final NDManager stateManager;
    private final double decay;
    /** All shadows, flattened and concatenated in the order of {@code weights}. */
    private final NDArray flat;
    /** Views of {@link #flat} shaped like the weights. */
    private List<NDArray> shadows;

    public ExponentialMovingAverage(List<NDArray> weights, NDManager stateManager, double decay) {
        if (decay < 0 || decay >= 1) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        }
        this.weights = weights;
        this.stateManager = stateManager;
        this.decay = decay;
        List<float[]> values = new ArrayList<>(weights.size());
        for (NDArray w : weights) {
            values.add(w.toFloatArray());
        }
        this.flat = stateManager.zeros(new Shape(size()), DataType.FLOAT32,
                weights.isEmpty() ? stateManager.getDevice() : weights.get(0).getDevice());
        Networks.assign(flat, concat(values));
        this.shadows = views();
    }

    private long size() {
        long n = 0;
        for (NDArray w : weights) {
            n += w.getShape().size();
        }
        return n;
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private List<NDArray> views() {
        List<NDArray> out = new ArrayList<>(weights.size());
        long from = 0;
        for (NDArray w : weights) {
            long size = w.getShape().size();
            NDArray view = flat.get(new NDIndex("{}:{}", from, from + size)).reshape(w.getShape());
            view.attach(stateManager);
            out.add(view);
            from += size;
        }
        return out;
    }

    /** Blends the current weights into the shadows after optimiser step {@code step} (1-based). */
    public void update(int step) {
        float d = (float) Math.min(decay, (1.0 + step) / (10.0 + step));
        try (NDManager scope = stateManager.newSubManager()) {
            NDList parts = new NDList(weights.size());
            for (NDArray w : weights) {
                NDArray row = w.reshape(-1); // no gradient is recorded outside the collector
                row.attach(scope);
                parts.add(row);
            }
            NDArray current = NDArrays.concat(parts);
            current.attach(scope);
            flat.muli(d).addi(current.muli(1 - d));
        }
    }

    /** Overwrites the live weights with the EMA weights. */
    public void copyToWeights() {
        for (int i = 0; i < weights.size(); i++) {
            Networks.assign(weights.get(i), shadows.get(i).toFloatArray());
        }
    }

    /** The shadows, one array per weight (views of the flat buffer), for checkpoints. */
    public List<NDArray> state() {
        return shadows;
    }

    public void restore(List<NDArray> state) {
        List<float[]> values = new ArrayList<>(state.size());
        for (NDArray s : state) {
            values.add(s.toFloatArray());
        }
        Networks.assign(flat, concat(values));
        shadows.forEach(NDArray::close);
        shadows = views(); // the old views still look at the buffer that assign replaced
    }
}
