package dev.genserve.generative.drifting;

import ai.djl.Device;
import dev.genserve.generative.Generator;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.train.TrainingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The drifting family ("drifting"): one-step generators trained with the anti-symmetric drifting field. */
public final class DriftingFamily implements GeneratorFamily<DriftingConfig> {

    public static final String ID = "drifting";
    public static final List<Double> DEFAULT_TEMPERATURES = List.of(0.02, 0.05, 0.2);
    private static final Set<String> MAPS = Set.of("identity", "patch-stats", "patches");
    /** Codebook size by default (measured on the 2-D hard toys, docs/drifting.md). */
    static final int DEFAULT_CODEBOOK = 1024;
    /** The largest data dimension that gets a codebook by default (measured only in 2-D; 3–16 extrapolated). */
    static final int CODEBOOK_MAX_DIM = 16;
    /**
     * Default MLP width under a codebook: the offsets carry the modes, and 128 measured level with 256 on the four
     * 2-D hard toys at 2.4× the sampling speed (docs/drifting.md).
     */
    static final int CODEBOOK_HIDDEN = 128;
    /** Largest codebook, the largest measured (the offsets are gathered by index, so K costs only K × D weights). */
    static final int MAX_CODEBOOK = 1024;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Class<DriftingConfig> configType() {
        return DriftingConfig.class;
    }

    @Override
    public DriftingConfig resolve(DriftingConfig c, TrainingData data) {
        if (c == null) {
            c = DriftingConfig.defaults();
        }
        int dim = data.dimension();
        boolean image = data.isImage();
        boolean conditional = c.conditional() == null ? data.labelled() : c.conditional();
        if (conditional && !data.labelled()) {
            throw new IllegalArgumentException("conditional: the dataset has no labels, so it must be false");
        }
        if (conditional && data.numClasses() < 1) {
            throw new IllegalArgumentException("conditional: the dataset declares no classes");
        }
        if (c.hidden() != null) {
            range("hidden", c.hidden(), 2, 8192); // checked first; its default depends on the codebook, below
        }
        int depth = range("depth", or(c.depth(), 3), 1, 16);
        int noiseDim = range("noiseDim", or(c.noiseDim(), Math.min(Math.max(dim, 16), 128)), 1, 4096);
        List<Double> temps = c.temperatures() == null ? DEFAULT_TEMPERATURES : List.copyOf(c.temperatures());
        if (temps.isEmpty() || temps.size() > 16 || temps.stream().anyMatch(t -> t == null || !(t > 0) || t > 100)) {
            throw new IllegalArgumentException("temperatures: 1 to 16 values in (0, 100], got " + temps);
        }
        int positives = range("positives", or(c.positives(), 1024), 2, 65536);
        int generated = range("generated", or(c.generated(), 1024), 2, 65536);
        int steps = range("steps", or(c.steps(), 2000), 1, 10_000_000);
        double lr = c.learningRate() == null ? 1e-3 : c.learningRate();
        if (!(lr > 0) || lr > 1) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + lr);
        }
        double wd = c.weightDecay() == null ? 0.0 : c.weightDecay();
        if (!(wd >= 0) || wd > 1) {
            throw new IllegalArgumentException("weightDecay must be in [0, 1], got " + wd);
        }
        int warmup = range("warmupSteps", or(c.warmupSteps(), 100), 0, 10_000_000);
        boolean cosine = c.cosineDecay() == null || c.cosineDecay();
        double ema = c.emaDecay() == null ? 0.999 : c.emaDecay();
        if (!(ema >= 0) || ema >= 1) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + ema);
        }
        double clip = c.gradientClip() == null ? 1.0 : c.gradientClip();
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("gradientClip must be ≥ 0 (0 = off), got " + clip);
        }
        long seed = c.seed() == null ? 0L : c.seed();
        double guidance = c.guidanceWeight() == null ? (conditional ? 2.0 : 1.0) : c.guidanceWeight();
        if (!(guidance >= 1) || guidance > 10) {
            throw new IllegalArgumentException("guidanceWeight must be in [1, 10], got " + guidance);
        }
        if (!conditional && guidance != 1.0) {
            throw new IllegalArgumentException("guidanceWeight applies to conditional models only; leave it unset");
        }
        String arch = c.architecture() == null ? (image ? "conv" : "mlp") : c.architecture();
        if (!arch.equals("mlp") && !arch.equals("conv")) {
            throw new IllegalArgumentException("architecture must be one of [mlp, conv], got '" + arch + "'");
        }
        if (arch.equals("conv") && !image) {
            throw new IllegalArgumentException("architecture 'conv' needs image data (with an image shape)");
        }
        List<String> maps = c.featureMaps() == null
                ? (image ? List.of("identity", "patch-stats") : List.of("identity"))
                : List.copyOf(c.featureMaps());
        if (maps.isEmpty() || !MAPS.containsAll(maps) || Set.copyOf(maps).size() != maps.size()) {
            throw new IllegalArgumentException("featureMaps: distinct values of [identity, patch-stats, patches], got "
                    + maps);
        }
        if ((maps.contains("patch-stats") || maps.contains("patches")) && !image) {
            throw new IllegalArgumentException("featureMaps: 'patch-stats' and 'patches' need image data (with an "
                    + "image shape)");
        }
        double clamp = c.affinityClamp() == null ? 0.0 : c.affinityClamp();
        if (!(clamp >= 0) || clamp >= 1) {
            throw new IllegalArgumentException("affinityClamp must be in [0, 1), got " + clamp);
        }
        int fourier = range("fourierFeatures", or(c.fourierFeatures(), 0), 0, 4096);
        double fourierScale = c.fourierScale() == null ? 1.0 : c.fourierScale();
        if (!(fourierScale > 0) || fourierScale > 1000) {
            throw new IllegalArgumentException("fourierScale must be in (0, 1000], got " + fourierScale);
        }
        if (fourier > 0 && arch.equals("conv")) {
            throw new IllegalArgumentException("fourierFeatures applies to the mlp architecture only");
        }
        int codes = range("noiseCodes", or(c.noiseCodes(), 0), 0, 4096);
        if (codes > 0 && (arch.equals("conv") || noiseDim < 2)) {
            throw new IllegalArgumentException("noiseCodes needs the mlp architecture and noiseDim ≥ 2");
        }
        int codebook = range("codebook", or(c.codebook(), defaultCodebook(conditional, image, arch, dim, noiseDim,
                codes, generated)), 0, MAX_CODEBOOK);
        if (codebook > 0) {
            if (arch.equals("conv") || noiseDim < 2) {
                throw new IllegalArgumentException("codebook needs the mlp architecture and noiseDim ≥ 2");
            }
            if (codes > 0) {
                throw new IllegalArgumentException("codebook and noiseCodes are exclusive");
            }
            if (conditional) {
                throw new IllegalArgumentException("codebook applies to unconditional models only (its offsets are "
                        + "not class-conditioned)");
            }
        }
        int hidden = range("hidden", or(c.hidden(), codebook > 0 ? CODEBOOK_HIDDEN : 256), 2, 8192);
        boolean clampOutput = c.clampOutput() == null ? image : c.clampOutput();
        List<Integer> shape = image ? Arrays.stream(data.imageShape()).boxed().toList() : null;
        return new DriftingConfig(hidden, depth, noiseDim, temps, positives, generated, steps, lr, wd, warmup,
                cosine, ema, clip, seed, conditional, guidance, maps, arch, clamp, fourier, fourierScale, codes,
                codebook, clampOutput, dim,
                conditional ? data.numClasses() : 0, shape, range(data));
    }

    /**
     * Default codebook size for unconditional low-dimensional vector data: min({@value #DEFAULT_CODEBOOK},
     * generated), so that every code is drawn about once per step; 0 otherwise. (1,024 codes against 512 took the
     * grid's fine-bandwidth MMD from 2.2× to 1.5× its floor at 2,000 steps; docs/drifting.md.)
     */
    static int defaultCodebook(boolean conditional, boolean image, String arch, int dim, int noiseDim, int codes,
            int generated) {
        boolean fits = !conditional && !image && arch.equals("mlp") && dim <= CODEBOOK_MAX_DIM && noiseDim >= 2
                && codes == 0;
        return fits ? Math.min(DEFAULT_CODEBOOK, generated) : 0;
    }

    /** [min, max] over every standardised training value. */
    private static List<Double> range(TrainingData data) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : data.rows().data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return List.of((double) lo, (double) hi);
    }

    @Override
    public int totalSteps(DriftingConfig resolved) {
        return resolved.steps();
    }

    @Override
    public long seed(DriftingConfig resolved) {
        return resolved.seed();
    }

    @Override
    public Generator train(TrainingData data, DriftingConfig resolved, TrainingContext context) {
        return DriftingTrainer.train(data, resolved, context, null);
    }

    @Override
    public Generator load(Path directory, DriftingConfig resolved, Device device) throws IOException {
        return DriftingGenerator.load(directory, resolved, device);
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }
}
