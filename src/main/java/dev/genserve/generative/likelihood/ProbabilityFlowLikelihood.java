package dev.genserve.generative.likelihood;

import dev.genserve.generative.Interruptions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.ReverseSde;
import dev.genserve.generative.sde.Sde;

/**
 * log p_eps(x) through the probability-flow ODE dx/dt = F = f − ½g²s and the instantaneous change of variables:
 * log p_eps(x) = log p_T(x_T) + ∫_eps^T ∇·F(x_t, t) dt, integrated with Heun's method. The divergence uses
 * finite-difference Jacobian–vector products only (no double backward): exact, ∇·F = Σ_i (F(x+δe_i) − F(x−δe_i))_i/2δ
 * (D ≤ 16), or Hutchinson, ∇·F ≈ mean_p v_pᵀ(F(x+δv_p) − F(x−δv_p))/2δ with Rademacher probes v_p fixed per run.
 */
public final class ProbabilityFlowLikelihood {

    /** How the divergence is computed: the exact trace (D probes e_i) or Hutchinson's estimator. */
    public enum Divergence {
        EXACT, HUTCHINSON;

        /** The API name: "exact" or "hutchinson". */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The divergence of an API name; throws IllegalArgumentException listing the names. */
        public static Divergence of(String name) {
            for (Divergence d : values()) {
                if (d.apiName().equals(name)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("estimator must be 'exact' or 'hutchinson', got '" + name + "'");
        }
    }

    /** The largest dimension for which the exact trace is allowed. */
    public static final int MAX_EXACT_DIMENSION = 16;

    private final int steps;
    private final Divergence divergence;
    private final int probes;
    private final double delta;

    /**
     * @param steps Heun steps from eps to T
     * @param divergence exact trace or Hutchinson
     * @param probes Rademacher probes per point (Hutchinson)
     * @param delta finite-difference step δ
     */
    public ProbabilityFlowLikelihood(int steps, Divergence divergence, int probes, double delta) {
        if (steps < 1 || probes < 1 || !(delta > 0)) {
            throw new IllegalArgumentException("steps and probes must be ≥ 1 and delta > 0");
        }
        this.steps = steps;
        this.divergence = divergence;
        this.probes = probes;
        this.delta = delta;
    }

    /**
     * Score evaluations per row: each of the {@code steps} Heun steps evaluates the drift and its divergence at two
     * points, a divergence costing 2 evaluations per probe (D probes for the exact trace).
     */
    public long evaluationsPerRow(int dimension) {
        long probeCount = divergence == Divergence.EXACT ? dimension : probes;
        return (long) steps * 2 * (1 + 2 * probeCount);
    }

    public int steps() {
        return steps;
    }

    public Divergence divergence() {
        return divergence;
    }

    /** Probes per point: D for the exact trace, the Rademacher probe count for Hutchinson. */
    public int probes(int dimension) {
        return divergence == Divergence.EXACT ? dimension : probes;
    }

    /** log p of every row of x (in the SDE's data space at t = eps). */
    public double[] logProb(Sde sde, ScoreFunction score, FloatMatrix x, NDManager manager, RandomSource random) {
        int n = x.rows();
        int d = x.cols();
        if (divergence == Divergence.EXACT && d > MAX_EXACT_DIMENSION) {
            throw new IllegalArgumentException("exact divergence needs D ≤ " + MAX_EXACT_DIMENSION + ", got " + d
                    + "; use HUTCHINSON");
        }
        ReverseSde flow = sde.reverse(score, true);
        double[] integral = new double[n];
        float[] state = x.data().clone();
        try (NDManager scope = manager.newSubManager()) {
            NDArray[] probeArrays = new NDArray[divergence == Divergence.EXACT ? d : probes];
            for (int p = 0; p < probeArrays.length; p++) {
                float[] v = new float[n * d];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        v[i * d + j] = divergence == Divergence.EXACT ? (j == p ? 1f : 0f)
                                : (random.nextDouble() < 0.5 ? -1f : 1f);
                    }
                }
                probeArrays[p] = scope.create(v, new Shape(n, d));
            }
            double t0 = sde.eps();
            double h = (sde.horizon() - t0) / steps;
            for (int k = 0; k < steps; k++) {
                Interruptions.check(); // a cancelled request stops at the next step
                double t = t0 + k * h;
                try (NDManager step = scope.newSubManager()) {
                    NDArray xs = step.create(state, new Shape(n, d));
                    NDArray k1 = flow.drift(xs, t);
                    float[] div1 = divergence(flow, xs, t, probeArrays);
                    NDArray euler = xs.add(k1.mul((float) h));
                    NDArray k2 = flow.drift(euler, t + h);
                    float[] div2 = divergence(flow, euler, t + h, probeArrays);
                    state = xs.add(k1.add(k2).mul((float) (0.5 * h))).toFloatArray();
                    for (int i = 0; i < n; i++) {
                        integral[i] += 0.5 * h * ((double) div1[i] + div2[i]);
                    }
                }
            }
        }
        double[] out = new double[n];
        float[] row = new float[d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(state, i * d, row, 0, d);
            out[i] = sde.priorLogDensity(row) + integral[i];
        }
        return out;
    }

    /** Per-row divergence of F at (x, t) from finite-difference JVPs along the probes. */
    private float[] divergence(ReverseSde flow, NDArray x, double t, NDArray[] probeArrays) {
        NDArray sum = null;
        for (NDArray v : probeArrays) {
            NDArray step = v.mul((float) delta);
            NDArray plus = flow.drift(x.add(step), t);
            NDArray minus = flow.drift(x.sub(step), t);
            NDArray jvp = plus.sub(minus).mul(v).sum(new int[] {1});
            sum = sum == null ? jvp : sum.add(jvp);
        }
        double scale = divergence == Divergence.EXACT ? 1.0 / (2 * delta) : 1.0 / (2 * delta * probeArrays.length);
        return sum.mul((float) scale).toFloatArray();
    }
}
