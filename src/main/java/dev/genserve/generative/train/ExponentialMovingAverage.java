package dev.genserve.generative.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import dev.genserve.generative.nn.Networks;

/**
 * Shadow copies of the weights, θ̄ ← d·θ̄ + (1 − d)·θ, with the usual warm-up d_t = min(d, (1 + t)/(10 + t)) so
 * that short runs are not dominated by the initial weights. The EMA weights are what a trained model ships.
 */
public final class ExponentialMovingAverage {

    private final List<NDArray> weights;
    private final List<NDArray> shadows = new ArrayList<>();
    private final double decay;

    public ExponentialMovingAverage(List<NDArray> weights, NDManager stateManager, double decay) {
        if (decay < 0 || decay >= 1) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
        }
        this.weights = weights;
        this.decay = decay;
        for (NDArray w : weights) {
            NDArray copy = stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice());
            Networks.assign(copy, w.toFloatArray());
            shadows.add(copy);
        }
    }

    /** Blends the current weights into the shadows after optimiser step {@code step} (1-based). */
    public void update(int step) {
        float d = (float) Math.min(decay, (1.0 + step) / (10.0 + step));
        for (int i = 0; i < weights.size(); i++) {
            NDArray current = weights.get(i).stopGradient();
            NDArray blended = current.mul(1 - d);
            shadows.get(i).muli(d).addi(blended);
            blended.close();
            current.close();
        }
    }

    /** Overwrites the live weights with the EMA weights. */
    public void copyToWeights() {
        for (int i = 0; i < weights.size(); i++) {
            Networks.assign(weights.get(i), shadows.get(i).toFloatArray());
        }
    }

    public List<NDArray> state() {
        return shadows;
    }

    public void restore(List<NDArray> state) {
        for (int i = 0; i < shadows.size(); i++) {
            Networks.assign(shadows.get(i), state.get(i).toFloatArray());
        }
    }
}
