package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
import java.util.List;

/**
 * The anti-symmetric drifting field of Deng et al. (2026, Alg. 2): for generated x, positives Y⁺ and negatives Y⁻,
 * logits −‖x−y‖/τ̃ over [Y⁺, Y⁻], A = sqrt(softmax_row ⊙ softmax_col), W⁺ = A⁺·rowsum(A⁻), W⁻ = A⁻·rowsum(A⁺),
 * V = W⁺Y⁺ − W⁻Y⁻. Features are divided by S = mean‖x−y‖/√D (τ̃ = τ√D), each temperature's drift is divided by
 * λ = sqrt(E‖V_τ‖²/D), and the normalised drifts are summed over τ. Everything runs on stop-gradient copies of the
 * inputs and lands in the manager of {@code x}.
 */
public final class DriftField {

    /** Distance added to a generated sample's distance to itself (in scaled units), which removes it. */
    static final float SELF_MASK = 1e6f;
    /** λ floor: drifts whose RMS per dimension is below this (in scaled units) are not blown up to unit size. */
    static final float LAMBDA_FLOOR = 1e-4f;

    private final double[] temperatures;

    public DriftField(List<Double> temperatures) {
        if (temperatures == null || temperatures.isEmpty()) {
            throw new IllegalArgumentException("temperatures must not be empty");
        }
        this.temperatures = temperatures.stream().mapToDouble(Double::doubleValue).toArray();
        for (double t : this.temperatures) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("temperatures must be positive and finite, got " + temperatures);
            }
        }
    }

    /**
     * The field in scaled feature units.
     *
     * @param drift V (N×D), already divided by S, normalised per temperature and summed
     * @param scale S, the feature scale; the loss target for φ(x)/S is φ(x)/S + V
     * @param rawSquaredNorm Σ_τ E‖V_τ‖²/D before the λ normalisation (→ 0 when q = p): the convergence signal
     */
    public record Drift(NDArray drift, float scale, double rawSquaredNorm) {}

    /**
     * The field for generated x against positives, with x itself as the (self-masked) negatives and optional extra
     * negatives (e.g. other-class data for guidance) whose softmax weight is multiplied by exp(extraLogWeight).
     */
    public Drift compute(NDArray x, NDArray positives, NDArray extraNegatives, double extraLogWeight) {
        NDArray negatives = extraNegatives == null ? x : x.concat(extraNegatives, 0);
        return compute(x, positives, negatives, true, extraNegatives == null ? 0 : extraLogWeight);
    }

    /**
     * The general field V_{p,q}(x). When {@code negativesStartWithX} the first N negatives are x itself and each is
     * masked against itself; negatives beyond those get the extra log-weight.
     */
    public Drift compute(NDArray xIn, NDArray positivesIn, NDArray negativesIn, boolean negativesStartWithX,
            double extraLogWeight) {
        NDArray x = xIn.stopGradient();
        NDArray pos = positivesIn.stopGradient();
        NDArray neg = negativesIn.stopGradient();
        long n = x.getShape().get(0);
        long dim = x.getShape().get(1);
        long p = pos.getShape().get(0);
        long m = neg.getShape().get(0);
        NDArray dPos = distances(x, pos);
        NDArray dNeg = distances(x, neg);
        // S: mean distance over all (x, y) pairs except each x with itself.
        double total = dPos.sum().getFloat() + dNeg.sum().getFloat();
        long count = n * p + n * m;
        if (negativesStartWithX) {
            total -= dNeg.get(new NDIndex(":, :{}", n)).diagonal().sum().getFloat();
            count -= n;
        }
        float scale = (float) Math.max(total / Math.max(count, 1) / Math.sqrt(dim), 1e-12);
        NDArray dAll = dPos.concat(dNeg, 1).div(scale);
        if (negativesStartWithX) {
            NDArray mask = x.getManager().eye((int) n, (int) m, 0, dNeg.getDataType()).mul(SELF_MASK);
            NDArray zeros = x.getManager().zeros(new Shape(n, p), dNeg.getDataType());
            dAll = dAll.add(zeros.concat(mask, 1));
        }
        // Block matrix [[Y⁺/S, 0, 1, 0], [0, Y⁻/S, 0, 1]]: one product A·B gives A⁺Y⁺, A⁻Y⁻, rowsum A⁺, rowsum A⁻.
        NDManager mm = x.getManager();
        NDArray top = pos.div(scale).concat(mm.zeros(new Shape(p, dim)), 1)
                .concat(mm.ones(new Shape(p, 1)), 1).concat(mm.zeros(new Shape(p, 1)), 1);
        NDArray bottom = mm.zeros(new Shape(m, dim)).concat(neg.div(scale), 1)
                .concat(mm.zeros(new Shape(m, 1)), 1).concat(mm.ones(new Shape(m, 1)), 1);
        NDArray blocks = top.concat(bottom, 0);
        NDArray bias = null;
        if (extraLogWeight != 0 && negativesStartWithX && m > n) {
            float[] b = new float[(int) (p + m)];
            java.util.Arrays.fill(b, (int) (p + n), (int) (p + m), (float) extraLogWeight);
            bias = mm.create(b).reshape(1, p + m);
        }
        NDArray sum = null;
        double raw = 0;
        for (double tau : temperatures) {
            NDArray logits = dAll.mul((float) (-1.0 / (tau * Math.sqrt(dim))));
            if (bias != null) {
                logits = logits.add(bias);
            }
            NDArray a = logits.softmax(1).mul(logits.softmax(0)).sqrt();
            NDArray prod = a.matMul(blocks);
            NDArray sPos = prod.get(new NDIndex(":, {}:{}", 2 * dim, 2 * dim + 1));
            NDArray sNeg = prod.get(new NDIndex(":, {}:", 2 * dim + 1));
            NDArray v = prod.get(new NDIndex(":, :{}", dim)).mul(sNeg)
                    .sub(prod.get(new NDIndex(":, {}:{}", dim, 2 * dim)).mul(sPos));
            double meanSq = v.square().sum().getFloat() / n / dim;
            raw += meanSq;
            float lambda = (float) Math.max(Math.sqrt(meanSq), LAMBDA_FLOOR);
            v = v.div(lambda);
            sum = sum == null ? v : sum.add(v);
        }
        return new Drift(sum, scale, raw);
    }

    /** Euclidean distances (N×M) via ‖x‖² + ‖y‖² − 2x·y, clamped at 0. */
    static NDArray distances(NDArray x, NDArray y) {
        NDArray x2 = x.square().sum(new int[] {1}, true);
        NDArray y2 = y.square().sum(new int[] {1}, true).transpose();
        return NDArrays.maximum(0f, x2.add(y2).sub(x.matMul(y.transpose()).mul(2))).sqrt();
    }

}
