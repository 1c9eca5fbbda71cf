package dev.genserve.generative.attractor;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.sde.OrnsteinUhlenbeckSde;
import dev.genserve.generative.density.DiffusedMixture;
import java.util.List;

/**
 * Measurements behind docs/attractor.md's estimator comparison (used by bench.AttractorEstimatorStudy): the second
 * moment of each estimator's regression target in ε units, E[σ(t)²/v] (= D E‖ŝ‖²σ²/D for ŝ = −z/√v), per time band,
 * with, where the score is exact (α = 0, mixture data), the signal E‖s‖²σ²/D so that noise = moment − signal; and
 * the minibatch gradient noise tr Cov[∇_θ L_B] of every estimator at one fixed network.
 */
public final class EstimatorProbe {

    private EstimatorProbe() {}

    /** Per band [edges[b], edges[b+1]): mean of σ(t)²/v over draws of (particle, t), for window fraction ρ. */
    public static double[] targetMoment(FloatMatrix data, AttractorConfig c, double fraction, double[] edges,
            int draws) {
        try (NDManager manager = NDManager.newBaseManager()) {
            AttractorConfig config = c.withEstimator(null, fraction, null);
            ResidualScoreNetwork net = ResidualScoreNetwork.forAttractor(config, manager);
            SimulatedScoreMatching loss = new SimulatedScoreMatching(data, config, net);
            SimulatedScoreMatching.Rows rows = loss.draw(manager, 0, draws, new RandomSource(5));
            double[] sum = new double[edges.length - 1];
            int[] count = new int[edges.length - 1];
            TimeGrid grid = config.process().grid();
            for (int r = 0; r < rows.count(); r++) {
                double t = grid.timeAtClock(rows.clock()[r]);
                int b = band(edges, t);
                if (b >= 0) {
                    double w = rows.weight()[r];
                    sum[b] += 1.0 / Math.max(w * w, 1e-30);
                    count[b]++;
                }
            }
            for (int b = 0; b < sum.length; b++) {
                sum[b] = count[b] == 0 ? Double.NaN : sum[b] / count[b];
            }
            return sum;
        }
    }

    /** Per band: E‖s_t(x)‖² σ(t)²/D over x ~ p_t, t ~ the training clock, for mixture data and α = 0 (exact). */
    public static double[] exactSignal(GaussianMixture data, AttractorConfig c, double[] edges, int draws) {
        ProcessParameters p = c.process();
        DiffusedMixture truth = new DiffusedMixture(data,
                new OrnsteinUhlenbeckSde(p.beta(), Math.sqrt(2 * p.lambda()), p.horizon(), 1e-3));
        RandomSource random = new RandomSource(9);
        double[] sum = new double[edges.length - 1];
        int[] count = new int[edges.length - 1];
        int d = data.dimension();
        for (int r = 0; r < draws; r++) {
            double t = p.grid().timeAtClock(1 - random.nextDouble());
            int b = band(edges, t);
            if (b < 0) {
                continue;
            }
            GaussianMixture at = truth.at(t);
            FloatMatrix x = at.sample(1, random);
            float[] s = at.score(x.data(), 1);
            double sq = 0;
            for (float v : s) {
                sq += v * v;
            }
            double sigma = p.noiseScale(t);
            sum[b] += sq * sigma * sigma / d;
            count[b]++;
        }
        for (int b = 0; b < sum.length; b++) {
            sum[b] = count[b] == 0 ? Double.NaN : sum[b] / count[b];
        }
        return sum;
    }

    /**
     * tr Cov[∇_θ L_B] over {@code batches} minibatches of the estimator configured in {@code c}, at the weights of
     * {@code generator} (copied), and the squared norm of the mean gradient.
     */
    public static double[] gradientNoise(FloatMatrix data, AttractorConfig c, AttractorGenerator generator,
            int batches) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResidualScoreNetwork net = ResidualScoreNetwork.forAttractor(c, manager);
            List<Pair<String, Parameter>> target = net.block().getParameters().stream().toList();
            List<Pair<String, Parameter>> source = generator.network().block().getParameters().stream().toList();
            for (int i = 0; i < target.size(); i++) {
                dev.genserve.generative.nn.Networks.assign(target.get(i).getValue().getArray(),
                        source.get(i).getValue().getArray().toFloatArray());
            }
            SimulatedScoreMatching loss = new SimulatedScoreMatching(data, c, net);
            loss.simulation(manager, 0);
            ParameterStore store = new ParameterStore(manager, false);
            double[][] grads = new double[batches][];
            for (int b = 0; b < batches; b++) {
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.loss(scope, store, 0, new RandomSource(100 + b));
                    collector.backward(value);
                    int total = 0;
                    for (Pair<String, Parameter> p : target) {
                        total += Math.toIntExact(p.getValue().getArray().getShape().size());
                    }
                    double[] g = new double[total];
                    int o = 0;
                    for (Pair<String, Parameter> p : target) {
                        float[] gv = p.getValue().getArray().getGradient().toFloatArray();
                        for (float v : gv) {
                            g[o++] = v;
                        }
                    }
                    grads[b] = g;
                }
            }
            int n = grads[0].length;
            double trace = 0;
            double meanNorm = 0;
            for (int j = 0; j < n; j++) {
                double m = 0;
                for (double[] g : grads) {
                    m += g[j] / batches;
                }
                double v = 0;
                for (double[] g : grads) {
                    v += (g[j] - m) * (g[j] - m) / (batches - 1);
                }
                trace += v;
                meanNorm += m * m;
            }
            return new double[] {trace, meanNorm};
        }
    }

    private static int band(double[] edges, double t) {
        for (int b = 0; b + 1 < edges.length; b++) {
            if (t >= edges[b] && t < edges[b + 1]) {
                return b;
            }
        }
        return -1;
    }
}
