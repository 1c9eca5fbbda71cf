package dev.genserve.generative.score;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.sde.ComposedSde;
import dev.genserve.generative.sde.LinearSde;
import dev.genserve.generative.sde.Sde;
import dev.genserve.generative.sde.SdeConfig;
import dev.genserve.generative.sde.SdeRegistry;
import dev.genserve.generative.train.OptimizerSettings;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingLoop;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Score-based diffusion (Song et al. 2021): a forward SDE, an MLP noise predictor ε_θ trained by denoising score
 * matching (by simulated one-step transitions for composed SDEs), and reverse-SDE / probability-flow / PC samplers.
 */
public final class DiffusionFamily implements GeneratorFamily<DiffusionConfig> {

    public static final String ID = "diffusion";
    public static final List<String> SDE_TYPES = SdeRegistry.NAMES;
    private static final int SIMULATION_POOL = 4096;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Class<DiffusionConfig> configType() {
        return DiffusionConfig.class;
    }

    @Override
    public DiffusionConfig resolve(DiffusionConfig config, TrainingData data) {
        DiffusionConfig c = config == null ? DiffusionConfig.defaults() : config;
        SdeConfig sde = SdeRegistry.resolve(c.sde() == null ? SdeConfig.vp() : c.sde(), data.rows());
        int hidden = range("hidden", or(c.hidden(), 256), 1, 4096);
        int depth = range("depth", or(c.depth(), 3), 1, 16);
        int timeFeatures = range("timeFeatures", or(c.timeFeatures(), 32), 2, 1024);
        if (timeFeatures % 2 != 0) {
            throw new IllegalArgumentException("timeFeatures must be even, got " + timeFeatures);
        }
        int steps = range("steps", or(c.steps(), 2000), 1, 10_000_000);
        int batch = range("batchSize", or(c.batchSize(), 512), 1, 65_536);
        double lr = or(c.learningRate(), 1e-3);
        require(lr > 0 && lr <= 1, "learningRate must be in (0, 1], got " + lr);
        int warmup = range("warmupSteps", or(c.warmupSteps(), 100), 0, 10_000_000);
        double ema = or(c.emaDecay(), 0.999);
        require(ema >= 0 && ema < 1, "emaDecay must be in [0, 1), got " + ema);
        double clip = or(c.gradientClip(), 1.0);
        require(clip >= 0 && Double.isFinite(clip), "gradientClip must be ≥ 0 (0 = off), got " + clip);
        long seed = c.seed() == null ? 0L : c.seed();
        String sampler = c.sampler() == null ? DiffusionGenerator.SAMPLERS.get(0) : c.sampler();
        require(DiffusionGenerator.SAMPLERS.contains(sampler), "sampler must be one of "
                + DiffusionGenerator.SAMPLERS + ", got '" + sampler + "'");
        int sampleSteps = range("sampleSteps", or(c.sampleSteps(), 500), 1, 100_000);
        double snr = or(c.snr(), 0.16);
        require(snr > 0 && snr <= 10, "snr must be in (0, 10], got " + snr);
        if (c.dimension() != null && c.dimension() != data.dimension()) {
            throw new IllegalArgumentException("dimension is " + c.dimension() + " but the data has "
                    + data.dimension() + " columns");
        }
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batch, lr, warmup, ema, clip, seed,
                sampler, sampleSteps, snr, data.dimension());
    }

    /** Builds the SDE of a resolved config (a composed SDE comes back without its fit); see {@link SdeRegistry}. */
    public static Sde buildSde(SdeConfig s) {
        return SdeRegistry.build(s);
    }

    @Override
    public int totalSteps(DiffusionConfig resolved) {
        return resolved.steps();
    }

    @Override
    public long seed(DiffusionConfig resolved) {
        return resolved.seed();
    }

    private static ScoreNetwork network(DiffusionConfig c, Sde sde) {
        java.util.function.DoubleUnaryOperator scale = sde instanceof LinearSde l ? l::std
                : ((ComposedSde) sde)::noiseScale;
        return new ScoreNetwork(c.dimension(), c.timeFeatures(), c.hidden(), c.depth(), sde.horizon(), scale);
    }

    @Override
    public DiffusionGenerator train(TrainingData data, DiffusionConfig c, TrainingContext context) {
        if (data.dimension() != c.dimension()) {
            throw new IllegalArgumentException("config was resolved for dimension " + c.dimension()
                    + ", data has " + data.dimension());
        }
        NDManager manager = NDManager.newBaseManager(context.device());
        try {
            Sde sde = buildSde(c.sde());
            TrainingLoop.LossFunction loss;
            ScoreNetwork net;
            if (sde instanceof ComposedSde composed) {
                ComposedSimulation simulation = ComposedSimulation.simulate(composed, data.rows(),
                        c.sde().simulationSteps(), SIMULATION_POOL, c.seed(), manager);
                sde = simulation.fittedSde();
                net = network(c, sde);
                loss = simulation.loss(net, c.batchSize());
            } else {
                net = network(c, sde);
                loss = DenoisingScoreMatching.loss(net, (LinearSde) sde, data.rows(), c.batchSize());
            }
            Networks.initialize(net.block(), manager, c.seed(), net.block().inputShapes());
            OptimizerSettings settings = new OptimizerSettings(c.steps(), c.learningRate(), c.warmupSteps(), true,
                    0.0, c.gradientClip(), c.emaDecay(), c.seed());
            TrainingLoop.run(net.block(), manager, settings, loss, context);
            return new DiffusionGenerator(manager, net, sde, c);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public DiffusionGenerator load(Path directory, DiffusionConfig c, Device device) throws IOException {
        Sde sde = buildSde(c.sde());
        if (sde instanceof ComposedSde composed) {
            try (InputStream in = Files.newInputStream(directory.resolve(DiffusionGenerator.FIT))) {
                DataInputStream data = new DataInputStream(in);
                sde = composed.withFit(new ComposedSde.Fit(readArray(data), readArray(data), readArray(data)));
            }
        }
        byte[] params = Files.readAllBytes(directory.resolve(DiffusionGenerator.PARAMS));
        NDManager manager = NDManager.newBaseManager(device);
        try {
            ScoreNetwork net = network(c, sde);
            Networks.initialize(net.block(), manager, c.seed(), net.block().inputShapes());
            Networks.fromBytes(net.block(), manager, params);
            return new DiffusionGenerator(manager, net, sde, c);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException("corrupt composed-fit file");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static int range(String field, int value, int min, int max) {
        require(value >= min && value <= max, field + " must be in [" + min + ", " + max + "], got " + value);
        return value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
