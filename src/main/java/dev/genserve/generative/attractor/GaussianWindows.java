package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gaussian transitions of the attractor over windows [τ, t] that start at a simulated state x_τ (an exact draw of
 * p_τ) and span at least a fraction ρ of t: with the mean field frozen at the simulated clouds p_s and the drift
 * linearised isotropically around the noise-free path,
 * <pre>
 * ṁ = α F_s(m) − β m,  m(τ) = x_τ;      v̇ = 2 r_s v + 2λ,  v(τ) = 0,  r_s = α ∇·F_s(m)/D − β
 * x_t | x_τ ≈ N(m(t), v(t) I)
 * </pre>
 * integrated on the simulation grid with exponential steps (the −βm and r v parts exactly, F frozen over a step):
 * m ← e^{−βh} m + α F (1 − e^{−βh})/β and v ← e^{2rh} v + λ (e^{2rh} − 1)/r. For α = 0 this is the exact
 * Ornstein–Uhlenbeck transition. Window starts ("anchors") lie on a geometric ladder of grid indices,
 * t_{a+1} ≥ t_a/(1 − ρ), and the interval [t_k, t_{k+1}) uses the latest anchor with t_a ≤ (1 − ρ) t_k, so every
 * window is at least ρ t long and every grid step is integrated by at most two or three anchors' paths (cost ≈ 2–3K
 * field evaluations of the cloud). ρ = 0 gives
 * one-step transitions from x_k (anchor k for interval k), ρ = 1 windows from the data (anchor 0 for every t).
 * See docs/attractor.md for the derivation and the measured target variance.
 */
final class GaussianWindows {

    /** The path of one anchor: per grid index j ∈ [anchor, last], the means, variances, frozen field and rate. */
    private record Path(int anchor, int last, float[][] mean, float[][] variance, float[][] field, float[][] rate) {}

    private final ProcessParameters params;
    private final TimeGrid grid;
    private final int particles;
    private final int dim;
    private final int[] anchorOf;
    private final Path[] pathOf;

    private GaussianWindows(ProcessParameters params, int particles, int dim, int[] anchorOf, Path[] pathOf) {
        this.params = params;
        this.grid = params.grid();
        this.particles = particles;
        this.dim = dim;
        this.anchorOf = anchorOf;
        this.pathOf = pathOf;
    }

    /**
     * Integrates every anchor's mean paths for the simulated cloud {@code states} (x_0 … x_K, each particles × D).
     *
     * @param fraction ρ ∈ [0, 1]
     */
    static GaussianWindows build(NDManager manager, List<FloatMatrix> states, ProcessParameters params,
            MeanFieldAttraction field, double fraction) {
        TimeGrid grid = params.grid();
        int steps = grid.steps();
        if (states.size() != steps + 1) {
            throw new IllegalArgumentException("need " + (steps + 1) + " states, got " + states.size());
        }
        int[] anchorOf = anchors(grid, fraction);
        int particles = states.get(0).rows();
        int dim = states.get(0).cols();
        Path[] pathOf = new Path[steps];
        for (int k = 0; k < steps; k++) {
            int a = anchorOf[k];
            if (pathOf[k] != null) {
                continue;
            }
            int last = k;
            for (int j = k; j < steps; j++) {
                if (anchorOf[j] == a) {
                    last = j;
                }
            }
            Path path = integrate(manager, states, params, field, grid, a, last);
            for (int j = k; j <= last; j++) {
                if (anchorOf[j] == a) {
                    pathOf[j] = path;
                }
            }
        }
        return new GaussianWindows(params, particles, dim, anchorOf, pathOf);
    }

    /** The anchor of every grid interval k (see the class comment). */
    static int[] anchors(TimeGrid grid, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("windowFraction must be in [0, 1], got " + fraction);
        }
        int steps = grid.steps();
        List<Integer> ladder = new ArrayList<>();
        ladder.add(0);
        if (fraction < 1) {
            int a = 0;
            while (a < steps) {
                double next = grid.time(a) / (1 - fraction);
                int j = a + 1;
                while (j < steps && grid.time(j) < next) {
                    j++;
                }
                if (j >= steps) {
                    break;
                }
                ladder.add(j);
                a = j;
            }
        }
        int[] anchorOf = new int[steps];
        for (int k = 0; k < steps; k++) {
            double latest = (1 - fraction) * grid.time(k);
            int best = 0;
            for (int a : ladder) {
                if (a <= k && grid.time(a) <= latest + 1e-12 * grid.horizon()) {
                    best = a;
                }
            }
            anchorOf[k] = best;
        }
        return anchorOf;
    }

    private static Path integrate(NDManager manager, List<FloatMatrix> states, ProcessParameters params,
            MeanFieldAttraction field, TimeGrid grid, int anchor, int last) {
        FloatMatrix start = states.get(anchor);
        int n = start.rows();
        int d = start.cols();
        int length = last - anchor + 1;
        float[][] means = new float[length][];
        float[][] variances = new float[length][];
        float[][] fields = new float[length][];
        float[][] rates = new float[length][];
        float[] m = start.data().clone();
        float[] v = new float[n];
        for (int j = anchor; j <= last; j++) {
            int o = j - anchor;
            means[o] = m;
            variances[o] = v;
            float[] g = new float[n * d];
            float[] r = new float[n];
            Arrays.fill(r, (float) -params.beta());
            if (params.alpha() > 0) {
                FloatMatrix cloud = states.get(j);
                MeanFieldAttraction.FieldAndDivergence fd = field.fieldAndDivergenceAt(manager, m, n, cloud.data(),
                        cloud.rows(), d);
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (params.alpha() * fd.field()[i]);
                }
                for (int i = 0; i < n; i++) {
                    r[i] += (float) (params.alpha() * fd.divergence()[i] / d);
                }
            }
            fields[o] = g;
            rates[o] = r;
            if (j < last) {
                double h = grid.stepLength(j);
                float[] nextM = new float[m.length];
                float[] nextV = new float[n];
                advance(params, m, v, g, r, h, nextM, nextV, n, d);
                m = nextM;
                v = nextV;
            }
        }
        return new Path(anchor, last, means, variances, fields, rates);
    }

    /** One exponential step of length h for every row: the mean into {@code outM}, the variance into outV. */
    private static void advance(ProcessParameters p, float[] m, float[] v, float[] g, float[] r, double h,
            float[] outM, float[] outV, int n, int d) {
        double decay = Math.exp(-p.beta() * h);
        double gain = gain(p.beta(), h);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                int o = i * d + c;
                outM[o] = (float) (decay * m[o] + gain * g[o]);
            }
            outV[i] = (float) varianceStep(p.lambda(), r[i], v[i], h);
        }
    }

    /** (1 − e^{−βh})/β (→ h as β → 0): the weight of the frozen field over a step. */
    static double gain(double beta, double h) {
        return beta > 0 ? -Math.expm1(-beta * h) / beta : h;
    }

    /** e^{2rh} v + λ (e^{2rh} − 1)/r (→ v + 2λh as r → 0). */
    static double varianceStep(double lambda, double r, double v, double h) {
        double e = Math.exp(2 * r * h);
        double growth = Math.abs(r) > 1e-9 ? Math.expm1(2 * r * h) / r : 2 * h;
        return e * v + lambda * growth;
    }

    int particles() {
        return particles;
    }

    int dimension() {
        return dim;
    }

    /** The anchor grid index of the window that serves time t. */
    int anchorAt(double t) {
        return anchorOf[grid.intervalOf(t)];
    }

    /**
     * The transition of particle i to time t ∈ (0, T]: writes the mean into {@code out[offset … offset + D)} and
     * returns the variance v(t).
     */
    double transition(int i, double t, float[] out, int offset) {
        int k = grid.intervalOf(t);
        Path path = pathOf[k];
        int o = k - path.anchor();
        double tau = t - grid.time(k);
        float[] m = path.mean()[o];
        float[] g = path.field()[o];
        double decay = Math.exp(-params.beta() * tau);
        double gain = gain(params.beta(), tau);
        for (int c = 0; c < dim; c++) {
            int q = i * dim + c;
            out[offset + c] = (float) (decay * m[q] + gain * g[q]);
        }
        return varianceStep(params.lambda(), path.rate()[o][i], path.variance()[o][i], tau);
    }
}
