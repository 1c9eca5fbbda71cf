package dev.genserve.generative.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import dev.genserve.generative.nn.Networks;

/**
 * Adam with decoupled weight decay and global-norm gradient clipping, holding its moment estimates itself so
 * that they can be checkpointed (DJL's built-in optimisers keep them private). The update per parameter is the
 * engine's fused Adam kernel: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v+ε) − ηλw.
 */
public final class AdamW {

    private final List<NDArray> weights;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private int stepCount;

    public AdamW(List<NDArray> weights, NDManager stateManager, double beta1, double beta2, double epsilon,
            double weightDecay) {
        this.weights = weights;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        for (NDArray w : weights) {
            means.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            variances.add(stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
        }
    }

    /** Adam's usual constants (β = 0.9, 0.999; ε = 1e−8). */
    public AdamW(List<NDArray> weights, NDManager stateManager, double weightDecay) {
        this(weights, stateManager, 0.9, 0.999, 1e-8, weightDecay);
    }

    /**
     * Global L2 norm of all gradients. Call inside a scope that closes temporaries.
     */
    public double gradientNorm() {
        double sum = 0;
        for (NDArray w : weights) {
            NDArray g = w.getGradient();
            sum += g.square().sum().getFloat();
        }
        return Math.sqrt(sum);
    }

    /**
     * One update with learning rate {@code lr}, rescaling all gradients so their global norm is at most
     * {@code clipNorm} (no clipping when clipNorm ≤ 0). Gradients are zeroed afterwards. When the gradient norm is
     * not finite the update is skipped (weights and moments untouched), as mixed-precision trainers do.
     *
     * @return the gradient norm before clipping (NaN or infinite for a skipped step)
     */
    public double step(double lr, double clipNorm) {
        double norm = gradientNorm();
        if (!Double.isFinite(norm)) {
            zeroGradients();
            return norm;
        }
        float rescale = (clipNorm > 0 && norm > clipNorm) ? (float) (clipNorm / (norm + 1e-12)) : 1f;
        stepCount++;
        double correction = lr * Math.sqrt(1 - Math.pow(beta2, stepCount)) / (1 - Math.pow(beta1, stepCount));
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            NDArray g = w.getGradient();
            w.getNDArrayInternal().adamUpdate(
                    new NDList(w, g, means.get(i), variances.get(i)),
                    new NDList(w),
                    (float) lr,
                    (float) correction,
                    (float) weightDecay,
                    rescale,
                    1e30f,
                    (float) beta1,
                    (float) beta2,
                    (float) epsilon,
                    false,
                    true);
        }
        return norm;
    }

    /** Sets every gradient to zero, NaN and infinite entries included. */
    public void zeroGradients() {
        for (NDArray w : weights) {
            NDArray g = w.getGradient();
            NDArray bad = g.isNaN().logicalOr(g.isInfinite());
            g.set(bad, 0f);
            g.muli(0f);
            bad.close();
            g.close();
        }
    }

    /** The moment arrays (means then variances), for checkpoints. */
    public List<NDArray> state() {
        List<NDArray> all = new ArrayList<>(means);
        all.addAll(variances);
        return all;
    }

    /** Restores moments saved by {@link #state()} and the number of steps already taken. */
    public void restore(List<NDArray> state, int steps) {
        int n = weights.size();
        for (int i = 0; i < n; i++) {
            Networks.assign(means.get(i), state.get(i).toFloatArray());
            Networks.assign(variances.get(i), state.get(n + i).toFloatArray());
        }
        stepCount = steps;
    }
}
