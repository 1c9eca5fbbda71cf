package dev.genserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.attractor.AttractorConfig;
import dev.genserve.generative.attractor.ResidualScoreNetwork;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.sampling.ReverseSampler;
import dev.genserve.generative.sampling.SamplerRegistry;
import dev.genserve.generative.sde.VpSde;
import dev.genserve.generative.train.OptimizerSettings;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingLoop;

/**
 * VP diffusion with exactly the attractor's score network and optimiser settings (a resolved
 * {@link AttractorConfig} supplies width, depth, Fourier features, steps, batch, learning rate, warm-up, EMA, clip and
 * seed), so that the comparison differs only in the forward process and the score estimator: denoising score
 * matching on the closed-form VP marginal (β 0.1 → 20, T = 1, eps = 1e-3, t ~ U(eps, T)), sampled with the shared
 * samplers on a uniform grid.
 */
final class VpReference implements AutoCloseable {

    private final NDManager manager;
    private final VpSde sde = new VpSde(0.1, 20.0, 1.0, 1e-3);
    private final ResidualScoreNetwork network;
    private final int dimension;

    VpReference(FloatMatrix data, AttractorConfig c, TrainingContext context) {
        manager = NDManager.newBaseManager();
        dimension = data.cols();
        network = new ResidualScoreNetwork(c.dimension(), c.timeFeatures(), c.hidden(), c.depth(),
                c.fourierFeatures(), c.fourierScale(), c.seed(), t -> t / sde.horizon(), sde::std);
        network.initialize(manager, c.seed());
        int batch = c.batchSize();
        int d = data.cols();
        TrainingLoop.LossFunction loss = (scope, store, step, random) -> {
            FloatMatrix x0 = data.selectRows(random.indices(batch, data.rows()));
            float[] clock = new float[batch];
            float[] m = new float[batch];
            float[] s = new float[batch];
            for (int i = 0; i < batch; i++) {
                double t = sde.eps() + (sde.horizon() - sde.eps()) * random.nextDouble();
                clock[i] = (float) (t / sde.horizon());
                m[i] = (float) sde.mean(t);
                s[i] = (float) sde.std(t);
            }
            Shape column = new Shape(batch, 1);
            NDArray z = random.normal(scope, new Shape(batch, d));
            NDArray xt = x0.toNd(scope).mul(FloatMatrix.nativeCopy(scope, m, column))
                    .add(z.mul(FloatMatrix.nativeCopy(scope, s, column)));
            NDArray eps = network.epsilon(store, xt, FloatMatrix.nativeCopy(scope, clock, column), true);
            return eps.sub(z).square().mean();
        };
        OptimizerSettings settings = new OptimizerSettings(c.steps(), c.learningRate(), c.warmupSteps(), true,
                c.weightDecay(), c.gradientClip(), c.emaDecay(), c.seed());
        TrainingLoop.run(network.block(), manager, settings, loss, context);
        Networks.freeze(network.block());
    }

    /** n samples (standardised units) with a registry sampler on a uniform grid of {@code steps}. */
    FloatMatrix sample(int n, long seed, String sampler, int steps) {
        ReverseSampler s = SamplerRegistry.create(sampler, SamplerRegistry.Options.DEFAULT);
        try (NDManager scope = manager.newSubManager()) {
            RandomSource random = new RandomSource(seed);
            NDArray start = sde.samplePrior(scope, n, dimension, random);
            return s.sample(sde, network.scoreFunction(new ParameterStore(scope, false)), start, steps, random, 0)
                    .samples();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
