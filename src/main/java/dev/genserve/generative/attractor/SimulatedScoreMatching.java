package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.train.TrainingLoop;
import java.util.List;

/**
 * Score learning on simulated clouds of the attractor, in continuous time: each row draws a particle i and a clock
 * u ~ U(0, 1] (t = T u^p, so the network sees every t, not only grid times), then its Gaussian window transition
 * x_t | x_τ ≈ N(m, v I) ({@link GaussianWindows}) and x = m + √v z.
 * <ul>
 * <li>{@code window}: denoising score matching, loss = mean ‖w ε_θ(x, u) − z‖² with w = √v/σ(t) (score weighting
 * λ = v); with {@code controlVariate}, plus 2 w z·ε_θ(m, u), whose expectation is 0 (z is independent of m) and
 * which cancels the O(1/√v) noise of the target to first order (Wang et al. 2020).</li>
 * <li>{@code sliced}: finite-difference sliced score matching on the same draws x (a sample of p_t), loss = mean
 * [½‖ε_θ(x)‖² − ζ·(ε_θ(x + κσζ) − ε_θ(x − κσζ))/(2κ)] with ζ ~ N(0, I), κ = {@value #SLICE_STEP}: the σ²-weighted
 * implicit score matching objective ½‖s‖² + ∇·s, with no transition target at all.</li>
 * </ul>
 * The clouds come from forward simulations ({@link AttractorProcess}) of {@code cloudSize} data rows, re-simulated
 * from a fresh subsample every {@code resimulateEvery} steps (seeded by (seed, r), so a resumed run is exact).
 */
final class SimulatedScoreMatching implements TrainingLoop.LossFunction {

    static final String WINDOW = "window";
    static final String SLICED = "sliced";
    static final double SLICE_STEP = 0.05;
    private static final long SUBSAMPLE_STREAM = 0x5AB5L;
    private static final long NOISE_STREAM = 0x5EEDL;

    private final FloatMatrix data;
    private final AttractorConfig config;
    private final AttractorProcess process;
    private final ResidualScoreNetwork network;
    private final TimeGrid grid;
    private int cachedIndex = -1;
    private Simulation cached;

    /** Simulation r: every state of the cloud and the window transitions built on it. */
    record Simulation(List<FloatMatrix> states, GaussianWindows windows) {
        FloatMatrix end() {
            return states.get(states.size() - 1);
        }
    }

    SimulatedScoreMatching(FloatMatrix data, AttractorConfig config, ResidualScoreNetwork network) {
        this.data = data;
        this.config = config;
        this.process = new AttractorProcess(config.process(), config.fieldTile());
        this.network = network;
        this.grid = config.process().grid();
    }

    /** Simulation r, kept until another index is asked for (training walks through r = 0, 1, … in order). */
    Simulation simulation(NDManager manager, int r) {
        if (r != cachedIndex) {
            RandomSource random = new RandomSource(RandomSource.mix(config.seed() ^ SUBSAMPLE_STREAM, r));
            FloatMatrix cloud = subsample(data, Math.min(config.cloudSize(), data.rows()), random);
            List<FloatMatrix> states = process.states(manager, cloud, RandomSource.mix(config.seed() ^ NOISE_STREAM, r));
            GaussianWindows windows = GaussianWindows.build(manager, states, config.process(), process.sde().field(),
                    config.windowFraction());
            cached = new Simulation(states, windows);
            cachedIndex = r;
        }
        return cached;
    }

    /** The training rows of one step: inputs, clocks, loss weights w = √v/σ(t), noise z and window means. */
    record Rows(float[] x, float[] clock, float[] weight, float[] noise, float[] mean, float[] sigma, int count) {}

    /** Draws {@code count} rows from simulation {@code r}. */
    Rows draw(NDManager manager, int r, int count, RandomSource random) {
        GaussianWindows windows = simulation(manager, r).windows();
        int d = data.cols();
        float[] x = new float[count * d];
        float[] mean = new float[count * d];
        float[] z = new float[count * d];
        float[] clock = new float[count];
        float[] weight = new float[count];
        float[] sigma = new float[count];
        for (int row = 0; row < count; row++) {
            int i = random.nextInt(windows.particles());
            double u = 1 - random.nextDouble();
            double t = grid.timeAtClock(u);
            double sd = Math.sqrt(windows.transition(i, t, mean, row * d));
            double scale = network.noiseScale(t);
            clock[row] = (float) u;
            weight[row] = (float) (sd / scale);
            sigma[row] = (float) scale;
            for (int c = 0; c < d; c++) {
                int o = row * d + c;
                z[o] = (float) random.nextGaussian();
                x[o] = (float) (mean[o] + sd * z[o]);
            }
        }
        return new Rows(x, clock, weight, z, mean, sigma, count);
    }

    @Override
    public NDArray loss(NDManager scope, ParameterStore store, int step, RandomSource random) {
        int index = config.resimulateEvery() == 0 ? 0 : step / config.resimulateEvery();
        Rows rows = draw(scope, index, config.batchSize(), random);
        return SLICED.equals(config.estimator()) ? sliced(scope, store, rows, random) : denoising(scope, store, rows);
    }

    private NDArray denoising(NDManager scope, ParameterStore store, Rows rows) {
        int d = data.cols();
        Shape shape = new Shape(rows.count(), d);
        Shape column = new Shape(rows.count(), 1);
        NDArray clock = nd(scope, rows.clock(), column);
        NDArray w = nd(scope, rows.weight(), column);
        NDArray z = nd(scope, rows.noise(), shape);
        NDArray eps = network.epsilon(store, nd(scope, rows.x(), shape), clock, true);
        NDArray loss = eps.mul(w).sub(z).square().mean();
        if (config.controlVariate()) {
            // no scalar operands on the gradient path (see Networks.silu): the factor 2 rides on a native array
            float[] twice = rows.weight().clone();
            for (int i = 0; i < twice.length; i++) {
                twice[i] *= 2;
            }
            NDArray atMean = network.epsilon(store, nd(scope, rows.mean(), shape), clock, true);
            loss = loss.add(atMean.mul(z).mul(nd(scope, twice, column)).mean());
        }
        return loss;
    }

    private NDArray sliced(NDManager scope, ParameterStore store, Rows rows, RandomSource random) {
        int d = data.cols();
        int n = rows.count();
        Shape shape = new Shape(n, d);
        Shape column = new Shape(n, 1);
        NDArray x = nd(scope, rows.x(), shape);
        NDArray zeta = random.normal(scope, shape);
        NDArray h = zeta.mul(nd(scope, rows.sigma(), column)).mul((float) SLICE_STEP);
        NDArray all = x.concat(x.add(h), 0).concat(x.sub(h), 0);
        NDArray clock = nd(scope, rows.clock(), column);
        NDArray eps = network.epsilon(store, all, clock.concat(clock, 0).concat(clock, 0), true);
        NDArray e0 = eps.get("0:" + n);
        NDArray plus = eps.get(n + ":" + 2 * n);
        NDArray minus = eps.get(2 * n + ":");
        NDArray divergence = plus.sub(minus).mul(zeta.div((float) (2 * SLICE_STEP)));
        return e0.square().mul(nd(scope, new float[] {0.5f}, new Shape(1, 1))).sub(divergence).mean();
    }

    private static NDArray nd(NDManager scope, float[] values, Shape shape) {
        return FloatMatrix.nativeCopy(scope, values, shape);
    }

    /** m distinct rows chosen by a partial Fisher–Yates shuffle. */
    static FloatMatrix subsample(FloatMatrix x, int m, RandomSource random) {
        return x.selectRows(random.distinctIndices(x.rows(), m));
    }
}
