package dev.genserve.generative.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.sde.ComposedSde;
import dev.genserve.generative.train.TrainingLoop;

/**
 * Training data for an SDE without closed-form marginal: an Euler–Maruyama simulation of a pool of data rows on the
 * grid t_k = kT/K, keeping states x_k and drifts f(x_k, t_k). It fits the prior N(μ, diag σ²) to the end states and
 * the noise scale ŝ of the linearised chain (ŝ²_{k+1} = ρ_k² ŝ²_k + g_k²Δt, ρ_k = 1 + Δt·mean ∂f_i/∂x_i by central
 * differences). DSM then uses the exact Gaussian transition from x_k over δ ~ U(0, Δt]:
 * x' = x_k + f_k δ + g_k√δ z, target score −z/(g_k√δ), loss mean ‖(g_k√δ/ŝ(t_k+δ)) ε_θ(x', t_k+δ) − z‖².
 */
public final class ComposedSimulation {

    private final ComposedSde sde;
    private final int gridSteps;
    private final int pool;
    private final int dim;
    private final float[][] states;
    private final float[][] drifts;

    private ComposedSimulation(ComposedSde sde, int gridSteps, int pool, int dim, float[][] states, float[][] drifts) {
        this.sde = sde;
        this.gridSteps = gridSteps;
        this.pool = pool;
        this.dim = dim;
        this.states = states;
        this.drifts = drifts;
    }

    /** Simulates up to {@code maxPool} rows of {@code data} (those with seeded random indices) over K steps. */
    public static ComposedSimulation simulate(ComposedSde sde, FloatMatrix data, int gridSteps, int maxPool,
            long seed, NDManager manager) {
        RandomSource random = new RandomSource(RandomSource.mix(seed, 0x51A0L));
        int pool = Math.min(maxPool, data.rows());
        FloatMatrix start = pool == data.rows() ? data : data.selectRows(random.indices(pool, data.rows()));
        int dim = data.cols();
        double dt = sde.horizon() / gridSteps;
        float[][] states = new float[gridSteps + 1][];
        float[][] drifts = new float[gridSteps][];
        double[] variance = new double[gridSteps + 1];
        states[0] = start.data().clone();
        try (NDManager scope = manager.newSubManager()) {
            for (int k = 0; k < gridSteps; k++) {
                try (NDManager step = scope.newSubManager()) {
                    double t = k * dt;
                    NDArray x = step.create(states[k], new Shape(pool, dim));
                    NDArray f = sde.drift(x, t);
                    double h = 1e-3;
                    double slope = sde.drift(x.add(h), t).sub(sde.drift(x.sub(h), t)).mean().getFloat() / (2 * h);
                    double g = sde.diffusion(t);
                    NDArray z = random.normal(step, new Shape(pool, dim)).mul((float) (g * Math.sqrt(dt)));
                    NDArray next = x.add(f.mul((float) dt)).add(z);
                    drifts[k] = f.toFloatArray();
                    states[k + 1] = next.toFloatArray();
                    double rho = 1 + dt * slope;
                    variance[k + 1] = rho * rho * variance[k] + g * g * dt;
                    if (!Double.isFinite(variance[k + 1]) || !allFinite(states[k + 1])) {
                        throw new IllegalArgumentException("the composed SDE blows up in simulation at t = "
                                + (t + dt) + ": check the drift '" + sde.driftText() + "'");
                    }
                }
            }
        }
        double[] mean = new double[dim];
        double[] std = new double[dim];
        float[] end = states[gridSteps];
        for (int j = 0; j < dim; j++) {
            double s = 0;
            double sq = 0;
            for (int i = 0; i < pool; i++) {
                double v = end[i * dim + j];
                s += v;
                sq += v * v;
            }
            mean[j] = s / pool;
            std[j] = Math.sqrt(Math.max(sq / pool - mean[j] * mean[j], 1e-12));
        }
        double[] scale = new double[gridSteps + 1];
        for (int k = 0; k <= gridSteps; k++) {
            scale[k] = Math.sqrt(variance[k]);
        }
        ComposedSde fitted = sde.withFit(new ComposedSde.Fit(mean, std, scale));
        return new ComposedSimulation(fitted, gridSteps, pool, dim, states, drifts);
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The SDE with its fitted prior and noise scale. */
    public ComposedSde fittedSde() {
        return sde;
    }

    /** The one-step-transition DSM loss (see the class comment). */
    public TrainingLoop.LossFunction loss(ScoreNetwork network, int batchSize) {
        double dt = sde.horizon() / gridSteps;
        return (scope, store, step, random) -> {
            float[] x = new float[batchSize * dim];
            float[] t = new float[batchSize];
            float[] weight = new float[batchSize];
            float[] z = random.gaussians(batchSize * dim);
            for (int b = 0; b < batchSize; b++) {
                int i = random.nextInt(pool);
                int k = random.nextInt(gridSteps);
                double delta = dt * (1 - random.nextDouble());
                double tk = k * dt;
                double sigma = sde.diffusion(tk) * Math.sqrt(delta);
                for (int j = 0; j < dim; j++) {
                    int o = i * dim + j;
                    x[b * dim + j] = (float) (states[k][o] + drifts[k][o] * delta + sigma * z[b * dim + j]);
                }
                t[b] = (float) (tk + delta);
                weight[b] = (float) (sigma / sde.noiseScale(tk + delta));
            }
            Shape shape = new Shape(batchSize, dim);
            Shape column = new Shape(batchSize, 1);
            NDArray eps = network.epsilon(store, scope.create(x, shape), scope.create(t, column), null, true);
            return eps.mul(scope.create(weight, column)).sub(scope.create(z, shape)).square().mean();
        };
    }
}
