package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The anti-symmetric drifting field of Deng et al. (2026, Alg. 2 and appendix A.6), for G independent groups at
 * once (one group per class, or a single one).
 *
 * <p>Per group: generated rows x (N×F), positives Y⁺ (P×F, weight 1), negatives Y⁻ = [x itself (each row masked
 * against itself), extra negatives (U×F, weight ω_g each, e.g. unconditional data for guidance)]. With the
 * distances d over all targets, the logits l = −d/(S·τ) where S is the (target-weighted) mean distance over the whole
 * batch, and
 * <pre>
 *   A_ij = ω_j · sqrt(softmax_j(l_i·) · softmax_i(l_·j)),      (row softmax over targets, column over generated rows)
 *   V_i  = Σ_j∈⁻ A_ij · Σ_j∈⁺ A_ij y⁺_j − Σ_j∈⁺ A_ij · Σ_j∈⁻ A_ij y⁻_j,
 * </pre>
 * in the scaled units y/s with s = S/√F. Each temperature's V is divided by λ = sqrt(max(E‖V_τ‖²/F, 10⁻⁸)) over
 * the batch, and the normalised drifts are summed over τ. The target weights multiply the affinities after the
 * square root, so ω is exactly the extra negatives' share of the repulsion relative to a generated negative.
 *
 * <p>Fast path: softmax_row ⊙ softmax_col factorises, A_ij = E_ij·sqrt(w_i/R_i)·ω_j/sqrt(C_j) with
 * E = exp(−(d − d_min,i)/(Sτ)) (a row-shifted kernel, ≤ 1), R_i = Σ_j E_ij, C_j = Σ_i w_i E_ij and
 * w_i = exp(−(d_min,i − min_k d_min,k)/(Sτ)). A is never formed: one pass writes E, one product gives C and one
 * product E·[ω/√C ⊙ Y, ω/√C, 1] gives every sum V needs. The distance matrix is shared by all temperatures. When the
 * row factors w would leave float32's range (a row e⁸⁰ times less dense than the densest) or when the published
 * clamp of row⊙column is asked for, that temperature uses the dense path, which forms both softmaxes as the
 * published code does. Everything runs without gradient in the manager of {@code x}.
 */
public final class DriftField {

    /** Raw distance given to each generated row's own column: its kernel weight underflows to exactly 0. */
    static final float SELF_MASK = 1e30f;
    /** λ² floor (the published 1e-8): a drift with RMS below 1e-4 per dimension is not blown up to unit size. */
    static final double LAMBDA_SQUARED_FLOOR = 1e-8;
    /** Floor of the feature scale S and of s = S/√F (the published 1e-3), for collapsed batches. */
    static final double SCALE_FLOOR = 1e-3;
    /** Largest exponent spread of the fast path's row factors w before the dense path takes over. */
    static final double MAX_ROW_SPREAD = 80;
    private static final float COLUMN_FLOOR = 1e-30f;
    /**
     * Exponents are clipped here before exp: e⁻⁸⁷ ≈ 1.6·10⁻³⁸ is still a normal float, and the exponential of
     * arguments that underflow takes MKL's slow special-case path (measured 6× slower on this machine's EPYC when most
     * entries underflow, as they do at small τ). A weight of 10⁻³⁸ instead of 0 changes no sum visibly.
     */
    static final float MIN_EXPONENT = -87f;

    private final double[] temperatures;
    /** The temperatures from the largest to the smallest, the order in which kernels can reuse each other. */
    private final double[] descending;
    private final double affinityClamp;

    /** The field with the given temperatures and no clamp of row⊙column. */
    public DriftField(List<Double> temperatures) {
        this(temperatures, 0);
    }

    /**
     * @param temperatures τ values (positive), whose normalised drifts are summed
     * @param affinityClamp the published clamp: A = sqrt(max(softmax_row·softmax_col, clamp)); 0 = none
     */
    public DriftField(List<Double> temperatures, double affinityClamp) {
        if (temperatures == null || temperatures.isEmpty()) {
            throw new IllegalArgumentException("temperatures must not be empty");
        }
        this.temperatures = temperatures.stream().mapToDouble(Double::doubleValue).toArray();
        for (double t : this.temperatures) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("temperatures must be positive and finite, got " + temperatures);
            }
        }
        this.descending = java.util.Arrays.stream(this.temperatures).boxed()
                .sorted(java.util.Comparator.reverseOrder()).mapToDouble(Double::doubleValue).toArray();
        if (!(affinityClamp >= 0) || affinityClamp >= 1) {
            throw new IllegalArgumentException("affinityClamp must be in [0, 1), got " + affinityClamp);
        }
        this.affinityClamp = affinityClamp;
    }

    /**
     * The field in scaled feature units.
     *
     * @param drift V, shaped like x: divided by s, normalised per temperature and summed
     * @param scale s = S/√F; the loss target for φ(x)/s is φ(x)/s + V
     * @param rawSquaredNorm Σ_τ E‖V_τ‖²/F before the λ normalisation (→ 0 when q = p): the convergence signal
     */
    public record Drift(NDArray drift, float scale, double rawSquaredNorm) {}

    /** The unconditional field: x (N×F) against positives (P×F), x itself as the negatives. */
    public Drift compute(NDArray x, NDArray positives) {
        return compute(x, positives, null, null);
    }

    /**
     * The field for G groups: x (G×N×F, or N×F for one group), positives (G×P×F), optional extra negatives
     * (G×U×F) whose affinities are multiplied by {@code extraWeights[g]} (length G) after the square root.
     */
    public Drift compute(NDArray xIn, NDArray positivesIn, NDArray extraIn, float[] extraWeights) {
        return compute(xIn, positivesIn, extraIn, extraWeights, 1f);
    }

    /**
     * As {@link #compute(NDArray, NDArray, NDArray, float[])} with weight {@code selfWeight} on the generated rows
     * as negatives; 0 gives the general two-set field V_{p,q} with q = the extra negatives (the generated rows then
     * only share the softmax normalisation).
     */
    Drift compute(NDArray xIn, NDArray positivesIn, NDArray extraIn, float[] extraWeights, float selfWeight) {
        boolean flat = xIn.getShape().dimension() == 2;
        Batch b = batch(xIn, positivesIn, extraIn, extraWeights, selfWeight);
        NDArray sum = null;
        double raw = 0;
        for (double tau : descending) {
            double c = 1.0 / (b.meanDistance * tau);
            NDArray v = affinityClamp == 0 && b.rowSpread * c <= MAX_ROW_SPREAD ? fastDrift(b, c) : denseDrift(b, c);
            v = v.div(b.inputScale);
            double meanSq = v.square().mean().getFloat();
            raw += meanSq;
            v = v.div((float) Math.sqrt(Math.max(meanSq, LAMBDA_SQUARED_FLOOR)));
            sum = sum == null ? v : sum.addi(v);
        }
        b.releaseKernels();
        return new Drift(flat ? sum.reshape(xIn.getShape()) : sum, b.inputScale, raw);
    }

    private static Batch batch(NDArray x, NDArray pos, NDArray extra, float[] extraWeights, float selfWeight) {
        return new Batch(grouped(x.stopGradient()), grouped(pos.stopGradient()),
                extra == null ? null : grouped(extra.stopGradient()), extraWeights, selfWeight);
    }

    private static NDArray grouped(NDArray a) {
        Shape s = a.getShape();
        return s.dimension() == 3 ? a : a.reshape(1, s.get(0), s.get(1));
    }

    /**
     * The per-batch state shared by every temperature: the targets by block (positives, generated, extra), their
     * weights, the row-shifted distances d − d_min (self pairs masked), S, s and the row minima.
     */
    private static final class Batch {
        final NDManager manager;
        final NDArray x;
        final long groups;
        final long n;
        final long dim;
        final List<NDArray> targets = new ArrayList<>();
        final List<NDArray> shifted = new ArrayList<>();
        final List<NDArray> columnWeights = new ArrayList<>();
        final List<NDArray> kernels = new ArrayList<>();
        final double[] kernelRates = new double[4];
        final NDArray extraWeightColumn;
        final NDArray rowMin;
        final float[] rowMinValues;
        final double meanDistance;
        final float inputScale;
        final double rowSpread;

        Batch(NDArray x, NDArray pos, NDArray extra, float[] weights, float selfWeight) {
            this.manager = x.getManager();
            this.x = x;
            this.groups = x.getShape().get(0);
            this.n = x.getShape().get(1);
            this.dim = x.getShape().get(2);
            if (extra != null && (weights == null || weights.length != groups)) {
                throw new IllegalArgumentException("one extra-negative weight per group is needed");
            }
            targets.add(pos);
            targets.add(x);
            if (extra != null) {
                targets.add(extra);
            }
            extraWeightColumn = extra == null ? null : FloatMatrix.nativeCopy(manager, weights, new Shape(groups, 1, 1));
            List<NDArray> distances = new ArrayList<>();
            double weightedSum = 0;
            double weightCount = 0;
            for (int k = 0; k < targets.size(); k++) {
                NDArray y = targets.get(k);
                long m = y.getShape().get(1);
                NDArray d = distances(x, y);
                if (k < 2) {
                    double w = k == 1 ? selfWeight : 1;
                    weightedSum += w * d.sum().getFloat();
                    weightCount += w * groups * n * (k == 1 ? m - 1 : m); // self pairs are excluded
                } else {
                    float[] perGroup = d.sum(new int[] {1, 2}).toFloatArray();
                    for (int g = 0; g < groups; g++) {
                        weightedSum += weights[g] * perGroup[g];
                        weightCount += weights[g] * n * m;
                    }
                }
                if (k == 1) {
                    d.reshape(groups, n * n).set(new NDIndex(":, ::{}", n + 1), SELF_MASK);
                }
                distances.add(d);
            }
            double mean = weightCount > 0 ? weightedSum / weightCount : 0;
            this.meanDistance = Math.max(mean, SCALE_FLOOR);
            this.inputScale = (float) Math.max(mean / Math.sqrt(dim), SCALE_FLOOR);
            NDArray min = null;
            for (NDArray d : distances) {
                NDArray m = d.min(new int[] {2}, true);
                min = min == null ? m : min.minimum(m);
            }
            this.rowMin = min;
            this.rowMinValues = min.toFloatArray();
            double spread = 0;
            for (int g = 0; g < groups; g++) {
                spread = Math.max(spread, max(rowMinValues, g, n) - min(rowMinValues, g, n));
            }
            this.rowSpread = spread;
            for (int k = 0; k < distances.size(); k++) {
                shifted.add(distances.get(k).subi(rowMin));
                kernels.add(null);
                columnWeights.add(k == 2 ? extraWeightColumn
                        : k == 1 && selfWeight != 1 ? manager.full(new Shape(1, 1, 1), selfWeight) : null);
            }
        }

        /**
         * E = exp(−c·(d − d_min)) of block k. Temperatures are visited from the largest to the smallest, so c grows:
         * when this c is 2ᵐ times the previous one (m ≤ 3; 0.2 → 0.05 is m = 2), E is the previous E squared m
         * times in place, which saves a multiply and an exponential pass; otherwise it is computed afresh and the
         * previous E is released.
         */
        NDArray kernel(int k, double c) {
            NDArray previous = kernels.get(k);
            double ratio = previous == null ? 0 : c / kernelRates[k];
            long squarings = Math.round(Math.log(ratio) / Math.log(2));
            NDArray e;
            if (previous != null && squarings >= 1 && squarings <= 3
                    && Math.abs(ratio - Math.pow(2, squarings)) < 1e-9 * ratio) {
                e = previous;
                for (long i = 0; i < squarings; i++) {
                    e.muli(e);
                }
            } else {
                if (previous != null) {
                    previous.close();
                }
                NDArray scaled = shifted.get(k).mul(nativeScalar((float) -c));
                NDArray clipped = scaled.clip(MIN_EXPONENT, 0f);
                scaled.close();
                e = clipped.exp();
                clipped.close();
            }
            kernels.set(k, e);
            kernelRates[k] = c;
            return e;
        }

        NDArray nativeScalar(float value) {
            return manager.full(new Shape(1, 1, 1), value);
        }

        /** Releases the cached kernels. */
        void releaseKernels() {
            for (int k = 0; k < kernels.size(); k++) {
                if (kernels.get(k) != null) {
                    kernels.get(k).close();
                    kernels.set(k, null);
                }
            }
        }

        /** w_i = exp(−c·(d_min,i − min_k d_min,k)) per group, as G×N×1. */
        NDArray rowFactors(double c) {
            float[] w = new float[rowMinValues.length];
            for (int g = 0; g < groups; g++) {
                double lowest = min(rowMinValues, g, n);
                for (int i = 0; i < n; i++) {
                    int at = (int) (g * n + i);
                    w[at] = (float) Math.exp(-c * (rowMinValues[at] - lowest));
                }
            }
            return FloatMatrix.nativeCopy(manager, w, new Shape(groups, n, 1));
        }

        /** Y⁻: the generated rows, then the extra negatives. */
        NDArray negatives() {
            return targets.size() == 2 ? x : x.concat(targets.get(2), 1);
        }

        private static double max(float[] v, long g, long n) {
            double m = Double.NEGATIVE_INFINITY;
            for (long i = g * n; i < (g + 1) * n; i++) {
                m = Math.max(m, v[(int) i]);
            }
            return m;
        }

        private static double min(float[] v, long g, long n) {
            double m = Double.POSITIVE_INFINITY;
            for (long i = g * n; i < (g + 1) * n; i++) {
                m = Math.min(m, v[(int) i]);
            }
            return m;
        }
    }

    /** The raw (unscaled, unnormalised) V for one temperature, c = 1/(Sτ), without forming A. */
    private static NDArray fastDrift(Batch b, double c) {
        NDManager mm = b.manager;
        NDArray w = b.rowFactors(c);
        NDArray wT = w.transpose(0, 2, 1);
        NDArray attract = null;
        NDArray repel = null;
        NDArray sPos = null;
        NDArray sNeg = null;
        NDArray rowSum = null;
        for (int k = 0; k < b.targets.size(); k++) {
            NDArray kernel = b.kernel(k, c);
            NDArray colFactor = wT.matMul(kernel).maximum(COLUMN_FLOOR).pow(-0.5f).transpose(0, 2, 1);
            if (b.columnWeights.get(k) != null) {
                colFactor = colFactor.mul(b.columnWeights.get(k));
            }
            NDArray y = b.targets.get(k);
            NDArray rhs = NDArrays.concat(new NDList(y.mul(colFactor), colFactor, mm.ones(colFactor.getShape())), 2);
            // (rhsᵀ·Eᵀ)ᵀ rather than E·rhs: the same product, about 3× faster for a right-hand side this narrow
            NDArray sums = rhs.transpose(0, 2, 1).matMul(kernel.transpose(0, 2, 1)).transpose(0, 2, 1);
            NDArray weighted = sums.get(new NDIndex(":, :, :{}", b.dim));
            NDArray mass = sums.get(new NDIndex(":, :, {}:{}", b.dim, b.dim + 1));
            NDArray r = sums.get(new NDIndex(":, :, {}:", b.dim + 1));
            rowSum = rowSum == null ? r : rowSum.add(r);
            if (k == 0) {
                attract = weighted;
                sPos = mass;
            } else {
                repel = repel == null ? weighted : repel.add(weighted);
                sNeg = sNeg == null ? mass : sNeg.add(mass);
            }
        }
        NDArray rowScale = w.div(rowSum);
        return attract.mul(sNeg).sub(repel.mul(sPos)).muli(rowScale);
    }

    /** The raw V for one temperature by forming both softmaxes, as the published code does (with its clamp). */
    private NDArray denseDrift(Batch b, double c) {
        NDArray a = affinities(b, c);
        long p = b.targets.get(0).getShape().get(1);
        NDArray aPos = a.get(new NDIndex(":, :, :{}", p));
        NDArray aNeg = a.get(new NDIndex(":, :, {}:", p));
        NDArray attract = aPos.matMul(b.targets.get(0));
        NDArray repel = aNeg.matMul(b.negatives());
        NDArray sPos = aPos.sum(new int[] {2}, true);
        NDArray sNeg = aNeg.sum(new int[] {2}, true);
        return attract.mul(sNeg).sub(repel.mul(sPos));
    }

    /** A (G×N×(P+N+U)) over [positives, generated, extra], weights and clamp included. */
    private NDArray affinities(Batch b, double c) {
        NDArray shifted = NDArrays.concat(new NDList(b.shifted), 2);
        NDArray logits = shifted.mul((float) -c);
        NDArray logRow = logits.logSoftmax(2);
        NDArray logCol = logits.sub(b.rowMin.mul((float) c)).logSoftmax(1);
        NDArray a = logRow.add(logCol).mul(0.5f).clip(MIN_EXPONENT, 0f).exp();
        if (affinityClamp > 0) {
            a = a.maximum((float) Math.sqrt(affinityClamp));
        }
        if (b.columnWeights.stream().anyMatch(java.util.Objects::nonNull)) {
            NDList parts = new NDList();
            long from = 0;
            for (int k = 0; k < b.targets.size(); k++) {
                long m = b.targets.get(k).getShape().get(1);
                NDArray part = a.get(new NDIndex(":, :, {}:{}", from, from + m));
                NDArray weight = b.columnWeights.get(k);
                parts.add(weight == null ? part : part.mul(weight));
                from += m;
            }
            a = NDArrays.concat(parts, 2);
        }
        return a;
    }

    /**
     * The affinity matrix A for one temperature (dense path), for tests: G×N×(P+N+U) over [positives, generated
     * rows, extra negatives].
     */
    NDArray affinityMatrix(NDArray x, NDArray positives, NDArray extra, float[] extraWeights, double tau) {
        Batch b = batch(x, positives, extra, extraWeights, 1f);
        return affinities(b, 1.0 / (b.meanDistance * tau));
    }

    /** The drift of a single temperature forced onto the dense path, for tests of the fast path. */
    NDArray denseDrift(NDArray x, NDArray positives, NDArray extra, float[] extraWeights, double tau) {
        Batch b = batch(x, positives, extra, extraWeights, 1f);
        return denseDrift(b, 1.0 / (b.meanDistance * tau)).div(b.inputScale);
    }

    /** The same on the fast path (unnormalised, scaled units). */
    NDArray fastDrift(NDArray x, NDArray positives, NDArray extra, float[] extraWeights, double tau) {
        Batch b = batch(x, positives, extra, extraWeights, 1f);
        return fastDrift(b, 1.0 / (b.meanDistance * tau)).div(b.inputScale);
    }

    /**
     * Euclidean distances G×N×M in one batched product: [x, ‖x‖², 1]·[−2y, 1, ‖y‖²]ᵀ = ‖x − y‖², clamped at 0.
     */
    static NDArray distances(NDArray x, NDArray y) {
        NDManager mm = x.getManager();
        NDArray xx = x.square().sum(new int[] {2}, true);
        NDArray yy = y.square().sum(new int[] {2}, true);
        NDArray left = NDArrays.concat(new NDList(x, xx, mm.ones(xx.getShape())), 2);
        NDArray right = NDArrays.concat(new NDList(y.mul(-2f), mm.ones(yy.getShape()), yy), 2);
        NDArray squared = left.matMul(right.transpose(0, 2, 1));
        NDArray d = squared.clip(0f, Float.MAX_VALUE).sqrt();
        squared.close();
        return d;
    }
}
