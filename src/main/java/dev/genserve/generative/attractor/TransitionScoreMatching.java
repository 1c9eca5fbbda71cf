package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.train.TrainingLoop;

/**
 * Denoising score matching on simulated forward transitions. The Euler–Maruyama step is Gaussian given x_k:
 * x_{k+1} = μ_k + σ_k z, so −z/σ_k is an unbiased target for the marginal score at t_{k+1}. The network predicts
 * z (ε-parametrisation), loss = ‖ε_θ(μ_k + σ_k z, u(t_{k+1})) − z‖², and s_θ = −ε_θ/σ(t). The means μ_k come
 * from a forward simulation of a cloud of data rows, re-simulated from a fresh subsample every
 * {@code resimulateEvery} steps; each sampled state gets {@code noiseDraws} independent z to reduce variance.
 */
final class TransitionScoreMatching implements TrainingLoop.LossFunction {

    private static final long SUBSAMPLE_STREAM = 0x5AB5L;
    private static final long NOISE_STREAM = 0x5EEDL;

    private final FloatMatrix data;
    private final AttractorConfig config;
    private final AttractorProcess process;
    private final ScoreNetwork network;
    private final TimeGrid grid;
    private int cachedIndex = -1;
    private float[][] cachedMeans;
    private Simulation cached;

    TransitionScoreMatching(FloatMatrix data, AttractorConfig config, ScoreNetwork network) {
        this.data = data;
        this.config = config;
        this.process = new AttractorProcess(config.process(), config.fieldTile());
        this.network = network;
        this.grid = config.process().grid();
    }

    /** Simulation r (seeded by the config seed and r): the cloud's means μ_k for every step, and its end state. */
    record Simulation(float[][] means, FloatMatrix end) {}

    /** Simulation r, kept until another index is asked for (training walks through r = 0, 1, … in order). */
    Simulation simulation(NDManager manager, int r) {
        if (r != cachedIndex) {
            cached = simulate(manager, r);
            cachedMeans = cached.means();
            cachedIndex = r;
        }
        return cached;
    }

    private Simulation simulate(NDManager manager, int r) {
        RandomSource random = new RandomSource(RandomSource.mix(config.seed() ^ SUBSAMPLE_STREAM, r));
        FloatMatrix cloud = subsample(data, Math.min(config.cloudSize(), data.rows()), random);
        float[][] means = new float[grid.steps()][];
        FloatMatrix end = process.run(manager, cloud, RandomSource.mix(config.seed() ^ NOISE_STREAM, r),
                (k, mean, next) -> means[k] = mean);
        return new Simulation(means, end);
    }

    @Override
    public NDArray loss(NDManager scope, ParameterStore store, int step, RandomSource random) {
        int index = config.resimulateEvery() == 0 ? 0 : step / config.resimulateEvery();
        simulation(scope, index);
        int d = data.cols();
        int states = config.batchSize();
        int draws = config.noiseDraws();
        int rows = states * draws;
        int cloud = cachedMeans[0].length / d;
        float[] x = new float[rows * d];
        float[] z = new float[rows * d];
        float[] clock = new float[rows];
        for (int s = 0; s < states; s++) {
            int k = random.nextInt(grid.steps());
            int i = random.nextInt(cloud);
            float sigma = (float) Math.sqrt(2 * config.lambda() * grid.stepLength(k));
            float u = (float) grid.clock(grid.time(k + 1));
            for (int r = s * draws; r < (s + 1) * draws; r++) {
                clock[r] = u;
                for (int j = 0; j < d; j++) {
                    float noise = (float) random.nextGaussian();
                    z[r * d + j] = noise;
                    x[r * d + j] = cachedMeans[k][i * d + j] + sigma * noise;
                }
            }
        }
        NDArray xs = scope.create(x, new Shape(rows, d));
        NDArray target = scope.create(z, new Shape(rows, d));
        NDArray prediction = network.epsilon(store, xs, scope.create(clock, new Shape(rows, 1)), true);
        return prediction.sub(target).square().mean();
    }

    /** m distinct rows chosen by a partial Fisher–Yates shuffle. */
    static FloatMatrix subsample(FloatMatrix x, int m, RandomSource random) {
        int n = x.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return x.selectRows(java.util.Arrays.copyOf(order, m));
    }
}
