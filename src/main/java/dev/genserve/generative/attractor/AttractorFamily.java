package dev.genserve.generative.attractor;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.train.OptimizerSettings;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingLoop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Fokker–Planck attractor family ("attractor"): a forward mean-field SDE dX = [α F_{p_t}(X) − β X] dt +
 * √(2λ) dW ({@link AttractorSde}) carries the data to a Gaussian fitted at T; a score network learned on simulated
 * clouds in continuous time ({@link SimulatedScoreMatching}, on linearised Gaussian windows by default) drives the
 * reverse SDE ({@link dev.genserve.generative.sde.Sde#reverse}) back to the data.
 */
public final class AttractorFamily implements GeneratorFamily<AttractorConfig> {

    public static final String ID = "attractor";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Class<AttractorConfig> configType() {
        return AttractorConfig.class;
    }

    /** Default process parameters, network and budget (measured in docs/attractor.md). */
    static final String DEFAULT_ESTIMATOR = SimulatedScoreMatching.WINDOW;
    static final double DEFAULT_WINDOW_FRACTION = 1.0;
    static final double DEFAULT_SAMPLE_GRID_POWER = 6.0;

    @Override
    public AttractorConfig resolve(AttractorConfig c, TrainingData data) {
        AttractorConfig in = c == null ? AttractorConfig.defaults() : c;
        String estimator = or(in.estimator(), DEFAULT_ESTIMATOR);
        if (!estimator.equals(SimulatedScoreMatching.WINDOW) && !estimator.equals(SimulatedScoreMatching.SLICED)) {
            throw new IllegalArgumentException("estimator must be '" + SimulatedScoreMatching.WINDOW + "' or '"
                    + SimulatedScoreMatching.SLICED + "', got '" + estimator + "'");
        }
        String sampler = or(in.sampler(), AttractorGenerator.REVERSE_SDE);
        if (!AttractorGenerator.SAMPLERS.contains(sampler)) {
            throw new IllegalArgumentException("sampler must be one of " + AttractorGenerator.SAMPLERS + ", got '"
                    + sampler + "'");
        }
        AttractorConfig out = new AttractorConfig(
                nonNegative("alpha", or(in.alpha(), ProcessParameters.DEFAULT_ALPHA)),
                nonNegative("beta", or(in.beta(), ProcessParameters.DEFAULT_BETA)),
                positive("lambda", or(in.lambda(), ProcessParameters.DEFAULT_LAMBDA)),
                positive("delta", or(in.delta(), ProcessParameters.DEFAULT_DELTA)),
                positive("horizon", or(in.horizon(), ProcessParameters.DEFAULT_HORIZON)),
                range("simulationSteps", or(in.simulationSteps(), ProcessParameters.DEFAULT_STEPS), 1, 10_000),
                or(in.timeGridPower(), ProcessParameters.DEFAULT_GRID_POWER),
                estimator,
                unit("windowFraction", or(in.windowFraction(), DEFAULT_WINDOW_FRACTION)),
                or(in.controlVariate(), Boolean.FALSE),
                range("cloudSize", or(in.cloudSize(), 1024), 2, 16_384),
                range("resimulateEvery", or(in.resimulateEvery(), 250), 0, 10_000_000),
                range("hidden", or(in.hidden(), 256), 1, 8192),
                range("depth", or(in.depth(), 3), 1, 64),
                even("timeFeatures", range("timeFeatures", or(in.timeFeatures(), 32), 2, 1024)),
                range("fourierFeatures", or(in.fourierFeatures(), 64), 0, 4096),
                positive("fourierScale", or(in.fourierScale(), 2.0)),
                range("steps", or(in.steps(), 4000), 1, 10_000_000),
                range("batchSize", or(in.batchSize(), 512), 1, 65_536),
                openUnit("learningRate", or(in.learningRate(), 1e-3)),
                range("warmupSteps", or(in.warmupSteps(), 100), 0, 10_000_000),
                halfOpenUnit("emaDecay", or(in.emaDecay(), 0.999)),
                nonNegative("gradientClip", or(in.gradientClip(), 1.0)),
                nonNegative("weightDecay", or(in.weightDecay(), 0.0)),
                in.seed() == null ? 0L : in.seed(),
                sampler,
                range("sampleSteps", or(in.sampleSteps(), 100), 1, 100_000),
                gridPower("sampleGridPower", or(in.sampleGridPower(), DEFAULT_SAMPLE_GRID_POWER)),
                range("minCloud", or(in.minCloud(), 256), 1, 65_536),
                range("maxCloud", or(in.maxCloud(), 4096), 1, 65_536),
                range("fieldTile", or(in.fieldTile(), MeanFieldAttraction.DEFAULT_TILE), 1, 65_536),
                data.dimension());
        if (out.minCloud() > out.maxCloud()) {
            throw new IllegalArgumentException("minCloud (" + out.minCloud() + ") must be ≤ maxCloud ("
                    + out.maxCloud() + ")");
        }
        if (in.dimension() != null && in.dimension() != data.dimension()) {
            throw new IllegalArgumentException("dimension " + in.dimension() + " does not match the data's "
                    + data.dimension());
        }
        out.process(); // validates the process parameters (ranges, timeGridPower ∈ [1, 4])
        return out;
    }

    @Override
    public int totalSteps(AttractorConfig resolved) {
        return resolved.steps();
    }

    @Override
    public long seed(AttractorConfig resolved) {
        return resolved.seed();
    }

    @Override
    public AttractorGenerator train(TrainingData data, AttractorConfig c, TrainingContext context) {
        NDManager manager = NDManager.newBaseManager(context.device());
        try {
            ResidualScoreNetwork network = ResidualScoreNetwork.forAttractor(c, manager);
            SimulatedScoreMatching loss = new SimulatedScoreMatching(data.rows(), c, network);
            GaussianPrior prior;
            try (NDManager scope = manager.newSubManager()) {
                prior = GaussianPrior.fit(loss.simulation(scope, 0).end());
            }
            OptimizerSettings settings = new OptimizerSettings(c.steps(), c.learningRate(), c.warmupSteps(), true,
                    c.weightDecay(), c.gradientClip(), c.emaDecay(), c.seed());
            TrainingLoop.run(network.block(), manager, settings, loss, context);
            return new AttractorGenerator(manager, network, prior, c);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public AttractorGenerator load(Path directory, AttractorConfig c, Device device) throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            ResidualScoreNetwork network = ResidualScoreNetwork.forAttractor(c, manager);
            Networks.fromBytes(network.block(), manager, Files.readAllBytes(directory.resolve(
                    AttractorGenerator.PARAMS_FILE)));
            GaussianPrior prior;
            try (InputStream in = Files.newInputStream(directory.resolve(AttractorGenerator.PRIOR_FILE))) {
                prior = GaussianPrior.read(in);
            }
            if (prior.dimension() != c.dimension()) {
                throw new IOException("prior has dimension " + prior.dimension() + ", config says " + c.dimension());
            }
            return new AttractorGenerator(manager, network, prior, c);
        } catch (IOException | RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static double nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite value ≥ 0, got " + v);
        }
        return v;
    }

    private static double positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite value > 0, got " + v);
        }
        return v;
    }

    private static double openUnit(String name, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1], got " + v);
        }
        return v;
    }

    private static double gridPower(String name, double v) {
        if (!(v >= 1 && v <= 8)) {
            throw new IllegalArgumentException(name + " must be in [1, 8], got " + v);
        }
        return v;
    }

    private static double unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
        return v;
    }

    private static double halfOpenUnit(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
        return v;
    }

    private static int range(String name, int v, int low, int high) {
        if (v < low || v > high) {
            throw new IllegalArgumentException(name + " must be in [" + low + ", " + high + "], got " + v);
        }
        return v;
    }

    private static int even(String name, int v) {
        if (v % 2 != 0) {
            throw new IllegalArgumentException(name + " must be even, got " + v);
        }
        return v;
    }
}
