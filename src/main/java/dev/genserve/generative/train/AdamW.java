package dev.genserve.generative.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import dev.genserve.generative.nn.Networks;

/**
 * Adam with decoupled weight decay and global-norm gradient clipping, holding its moment estimates itself so
 * that they can be checkpointed (DJL's built-in optimisers keep them private). A step is one fused norm reduction
 * ({@link #gradientNorm()}, read back once by the caller) and, per parameter, the engine's fused Adam kernel:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v+ε) − ηλw.
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
    /** This step's gradient handles, from {@link #gradientNorm()} to {@link #step(double, double, double)}. */
    private List<NDArray> gradients;

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
     * The global L2 norm of all gradients, as a 0-d array that is not read back: one fused norm per parameter and one
     * over those, √Σ‖gᵢ‖², so that the caller reads it (with anything else it needs) in a single device sync. Keeps
     * this step's gradient handles for {@link #step(double, double, double)}. Call inside a scope that closes
     * temporaries.
     */
    public NDArray gradientNorm() {
        NDList norms = new NDList(weights.size());
        gradients = new ArrayList<>(weights.size());
        for (NDArray w : weights) {
            NDArray g = w.getGradient();
            gradients.add(g);
            norms.add(g.norm());
        }
        return NDArrays.stack(norms).norm();
    }

    /** As {@link #step(double, double, double)}, reading the gradient norm back itself. */
    public double step(double lr, double clipNorm) {
        return step(lr, clipNorm, gradientNorm().getFloat());
    }

    /**
     * One update with learning rate {@code lr}, rescaling all gradients so their global norm is at most
     * {@code clipNorm} (no clipping when clipNorm ≤ 0). {@code norm} is the value of this step's
     * {@link #gradientNorm()}. Each parameter takes one fused Adam kernel, which also zeroes its gradient (DJL 0.35
     * exposes no multi-tensor update). When the gradient norm is not finite the update is skipped (weights and
     * moments untouched, gradients zeroed), as mixed-precision trainers do.
     *
     * @return {@code norm} (NaN or infinite for a skipped step)
     */
    public double step(double lr, double clipNorm, double norm) {
        List<NDArray> grads = gradients;
        gradients = null;
        if (grads == null) {
            throw new IllegalStateException("call gradientNorm() first: the step uses its gradients");
        }
        if (!Double.isFinite(norm)) {
            zeroGradients();
            return norm;
        }
        float rescale = (clipNorm > 0 && norm > clipNorm) ? (float) (clipNorm / (norm + 1e-12)) : 1f;
        stepCount++;
        double correction = lr * Math.sqrt(1 - Math.pow(beta2, stepCount)) / (1 - Math.pow(beta1, stepCount));
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            w.getNDArrayInternal().adamUpdate(
                    new NDList(w, grads.get(i), means.get(i), variances.get(i)),
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
