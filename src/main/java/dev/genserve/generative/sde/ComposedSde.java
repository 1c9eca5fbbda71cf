package dev.genserve.generative.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.RandomSource;
import java.util.Arrays;

/**
 * An SDE dx = f(x,t) dt + g(t) dw whose drift and diffusion are user {@link SdeExpression}s. It has no closed-form
 * marginal: the prior N(μ, diag σ²) is fitted to simulated end states and, together with the noise scale ŝ(t) of the
 * linearised Euler–Maruyama chain, stored in a {@link Fit} (see {@code score.ComposedSimulation}).
 */
public final class ComposedSde implements Sde {

    /**
     * What simulation decides: the fitted prior (per-dimension mean and std at T) and the noise scale ŝ at the
     * grid times k·T/K, k = 0..K (used for the ε-parametrisation s_θ = −ε_θ/ŝ(t)).
     */
    public record Fit(double[] priorMean, double[] priorStd, double[] noiseScale) {
        public Fit {
            if (priorMean.length != priorStd.length || noiseScale.length < 2) {
                throw new IllegalArgumentException("inconsistent fit");
            }
        }
    }

    private final String driftText;
    private final String diffusionText;
    private final SdeExpression drift;
    private final SdeExpression diffusion;
    private final double horizon;
    private final double eps;
    private final Fit fit;

    /** Parses and validates the expressions; throws IllegalArgumentException with a useful message. */
    public ComposedSde(String driftText, String diffusionText, double horizon, double eps) {
        this(driftText, diffusionText, horizon, eps, null);
    }

    private ComposedSde(String driftText, String diffusionText, double horizon, double eps, Fit fit) {
        Sdes.checkTimes(horizon, eps);
        this.driftText = driftText;
        this.diffusionText = diffusionText;
        this.drift = SdeExpressionParser.parse(driftText, "drift");
        this.diffusion = SdeExpressionParser.parse(diffusionText, "diffusion");
        if (diffusion.dependsOnX()) {
            throw new IllegalArgumentException("diffusion expression '" + diffusionText
                    + "' must not depend on x: the diffusion is g(t), a function of t only");
        }
        for (int i = 0; i <= 20; i++) {
            double t = horizon * i / 20.0;
            double g = diffusion.scalar(t);
            if (!Double.isFinite(g) || g < 0) {
                throw new IllegalArgumentException("diffusion expression '" + diffusionText + "' gives g(" + t
                        + ") = " + g + "; it must be finite and ≥ 0 on [0, T]");
            }
            if (!drift.dependsOnX() && !Double.isFinite(drift.scalar(t))) {
                throw new IllegalArgumentException("drift expression '" + driftText + "' is not finite at t = " + t);
            }
        }
        this.horizon = horizon;
        this.eps = eps;
        this.fit = fit;
    }

    /** The same SDE with a fitted prior and noise scale. */
    public ComposedSde withFit(Fit newFit) {
        return new ComposedSde(driftText, diffusionText, horizon, eps, newFit);
    }

    public Fit fit() {
        if (fit == null) {
            throw new IllegalStateException("composed SDE has no fitted prior yet: simulate it first");
        }
        return fit;
    }

    public boolean fitted() {
        return fit != null;
    }

    public String driftText() {
        return driftText;
    }

    public String diffusionText() {
        return diffusionText;
    }

    /** ŝ(t): linear interpolation of the fitted noise variance between grid points, floored at 1e-4. */
    public double noiseScale(double t) {
        double[] s = fit().noiseScale;
        int k = s.length - 1;
        double u = Math.max(0, Math.min(1, t / horizon)) * k;
        int i = Math.min((int) Math.floor(u), k - 1);
        double w = u - i;
        double v = (1 - w) * s[i] * s[i] + w * s[i + 1] * s[i + 1];
        return Math.max(1e-4, Math.sqrt(v));
    }

    @Override
    public String name() {
        return "composed";
    }

    @Override
    public NDArray drift(NDArray x, double t) {
        return drift.array(x, t);
    }

    @Override
    public double diffusion(double t) {
        return diffusion.scalar(t);
    }

    @Override
    public double horizon() {
        return horizon;
    }

    @Override
    public double eps() {
        return eps;
    }

    @Override
    public NDArray samplePrior(NDManager manager, int n, int dim, RandomSource random) {
        Fit f = fit();
        if (f.priorMean.length != dim) {
            throw new IllegalArgumentException("prior was fitted in dimension " + f.priorMean.length + ", not " + dim);
        }
        float[] z = random.gaussians(n * dim);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                z[i * dim + j] = (float) (f.priorMean[j] + f.priorStd[j] * z[i * dim + j]);
            }
        }
        return manager.create(z, new Shape(n, dim));
    }

    @Override
    public double priorLogDensity(float[] x) {
        Fit f = fit();
        double lp = 0;
        for (int j = 0; j < x.length; j++) {
            double z = (x[j] - f.priorMean[j]) / f.priorStd[j];
            lp += -0.5 * z * z - Math.log(f.priorStd[j]) - 0.5 * Math.log(2 * Math.PI);
        }
        return lp;
    }

    @Override
    public String toString() {
        return "ComposedSde[drift=" + driftText + ", diffusion=" + diffusionText + ", T=" + horizon
                + (fit == null ? "" : ", prior mean=" + Arrays.toString(fit.priorMean)) + "]";
    }
}
