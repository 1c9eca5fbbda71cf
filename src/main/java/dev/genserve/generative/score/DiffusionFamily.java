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
import java.util.Arrays;
import java.util.List;

/**
 * Score-based diffusion (Song et al. 2021): a forward SDE, a score network ({@link ScoreNetwork}: by default a
 * residual FiLM MLP on Fourier features for vectors, a small U-Net for images, EDM-preconditioned) trained by
 * denoising (EDM's loss, or ε-DSM; simulated one-step transitions for composed SDEs), and reverse-SDE /
 * probability-flow / predictor–corrector samplers.
 */
public final class DiffusionFamily implements GeneratorFamily<DiffusionConfig> {

    public static final String ID = "diffusion";
    public static final List<String> SDE_TYPES = SdeRegistry.NAMES;
    public static final List<String> ARCHITECTURES = List.of("resmlp", "mlp", "conv");
    public static final List<String> PRECONDITIONINGS = List.of("edm", "epsilon");
    static final int RESMLP_WIDTH = 128;
    static final int FOURIER_COUNT = 64;
    static final double FOURIER_SCALE = 1.0;
    static final double NOISE_MEAN = -1.2;
    static final double NOISE_STD = 1.2;
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
        boolean image = data.isImage();
        String architecture = c.architecture() == null ? (image ? "conv" : "resmlp") : c.architecture();
        require(ARCHITECTURES.contains(architecture), "architecture must be one of " + ARCHITECTURES + ", got '"
                + architecture + "'");
        require(!architecture.equals("conv") || image, "architecture conv needs image data (a dataset with an image "
                + "shape); use resmlp or mlp for vectors");
        boolean composed = sde.type().equals("composed");
        String preconditioning = c.preconditioning() == null ? (composed ? "epsilon" : "edm") : c.preconditioning();
        require(PRECONDITIONINGS.contains(preconditioning), "preconditioning must be one of " + PRECONDITIONINGS
                + ", got '" + preconditioning + "'");
        require(!(composed && preconditioning.equals("edm")), "preconditioning edm needs an SDE with a closed-form "
                + "marginal (vp, subvp, ve, ou, brownian); composed SDEs train with epsilon");
        boolean edm = preconditioning.equals("edm");
        int hidden = range("hidden", or(c.hidden(), switch (architecture) {
            case "mlp" -> 256;
            case "conv" -> 32;
            default -> RESMLP_WIDTH;
        }), 1, 4096);
        int depth = range("depth", or(c.depth(), 3), 1, 16);
        int timeFeatures = range("timeFeatures", or(c.timeFeatures(), 32), 2, 1024);
        if (timeFeatures % 2 != 0) {
            throw new IllegalArgumentException("timeFeatures must be even, got " + timeFeatures);
        }
        boolean fourierUsed = architecture.equals("resmlp");
        // (0 is what resolve records for the other architectures, so a resolved config resolves to itself)
        require(fourierUsed || ((c.fourierCount() == null || c.fourierCount() == 0)
                && (c.fourierScale() == null || c.fourierScale() == 0)),
                "fourierCount and fourierScale apply to architecture resmlp only");
        int fourierCount = fourierUsed ? range("fourierCount", or(c.fourierCount(), FOURIER_COUNT), 0, 4096) : 0;
        // default: the same spread of the projections b·x as at D = 2, whatever D (‖b‖ ≈ σ√D)
        double fourierScale = fourierUsed ? or(c.fourierScale(), FOURIER_SCALE * Math.sqrt(2.0 / data.dimension()))
                : 0;
        require(!fourierUsed || (fourierScale > 0 && fourierScale <= 1000),
                "fourierScale must be in (0, 1000], got " + fourierScale);
        require(edm || (c.sigmaData() == null && c.noiseMean() == null && c.noiseStd() == null),
                "sigmaData, noiseMean and noiseStd apply to preconditioning edm only");
        Double sigmaData = edm ? or(c.sigmaData(), 1.0) : null;
        Double noiseMean = edm ? or(c.noiseMean(), NOISE_MEAN) : null;
        Double noiseStd = edm ? or(c.noiseStd(), NOISE_STD) : null;
        require(!edm || (sigmaData > 0 && sigmaData <= 1e3), "sigmaData must be in (0, 1000], got " + sigmaData);
        require(!edm || (noiseMean >= -10 && noiseMean <= 10), "noiseMean must be in [-10, 10], got " + noiseMean);
        require(!edm || (noiseStd > 0 && noiseStd <= 10), "noiseStd must be in (0, 10], got " + noiseStd);
        int steps = range("steps", or(c.steps(), 2000), 1, 10_000_000);
        int batch = range("batchSize", or(c.batchSize(), image ? 128 : 512), 1, 65_536);
        double lr = or(c.learningRate(), edm ? 2e-3 : 1e-3);
        require(lr > 0 && lr <= 1, "learningRate must be in (0, 1], got " + lr);
        int warmup = range("warmupSteps", or(c.warmupSteps(), edm ? 200 : 100), 0, 10_000_000);
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
        boolean conditional = c.conditional() == null ? data.labelled() && image : c.conditional();
        require(!conditional || (data.labelled() && data.numClasses() > 0),
                "conditional: the dataset has no labels, so it must be false");
        require(conditional || (c.classDropout() == null && c.guidance() == null),
                "classDropout and guidance apply to conditional models only");
        Double dropout = conditional ? or(c.classDropout(), 0.1) : null;
        require(!conditional || (dropout >= 0 && dropout < 1), "classDropout must be in [0, 1), got " + dropout);
        Double guidance = conditional ? or(c.guidance(), 1.0) : null;
        require(!conditional || (guidance >= 0 && guidance <= 20), "guidance must be in [0, 20], got " + guidance);
        double radius = c.dataRadius() != null ? c.dataRadius() : largestNorm(data.rows());
        require(radius > 0 && Double.isFinite(radius), "dataRadius must be a finite value > 0, got " + radius);
        List<Integer> shape = image ? Arrays.stream(data.imageShape()).boxed().toList() : null;
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batch, lr, warmup, ema, clip, seed,
                sampler, sampleSteps, snr, data.dimension(), architecture, fourierCount, fourierScale,
                preconditioning, sigmaData, noiseMean, noiseStd, conditional, dropout, guidance, radius,
                conditional ? data.numClasses() : 0, shape);
    }

    /** The largest Euclidean norm of a row: the radius of the denoiser guard. */
    static double largestNorm(FloatMatrix rows) {
        double best = 0;
        for (int i = 0; i < rows.rows(); i++) {
            double sq = 0;
            for (int j = 0; j < rows.cols(); j++) {
                double v = rows.get(i, j);
                sq += v * v;
            }
            best = Math.max(best, sq);
        }
        return Math.sqrt(best);
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
        return ScoreNetwork.of(c, sde, scale);
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
                int[] labels = c.conditional() ? data.labels() : null;
                double dropout = c.conditional() ? c.classDropout() : 0;
                loss = c.edm()
                        ? PreconditionedDenoising.loss(net, new EdmPreconditioning(c.sigmaData(), c.noiseMean(),
                                c.noiseStd()), data.rows(), labels, dropout, c.batchSize())
                        : DenoisingScoreMatching.loss(net, (LinearSde) sde, data.rows(), labels, dropout,
                                c.batchSize());
            }
            net.initialize(manager, c.seed());
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
            net.initialize(manager, c.seed());
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
