package dev.genserve.generative.drifting;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.nn.Networks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A trained drifting generator: x = f_θ(z, c) with z ~ N(0, I) from the request's seed, one network evaluation.
 * For conditional models c = [one-hot(class), α − 1]; without a class label the classes go round-robin (row i gets
 * class i mod K). With {@code clampOutput} (the default for images) samples are clamped to the training data's
 * range, so pixels never leave it.
 */
public final class DriftingGenerator implements Generator {

    static final String PARAMS = "model.params";
    private static final int CHUNK = 16384;

    private final NDManager manager;
    private final DriftingNetwork network;
    private final DriftingConfig config;

    DriftingGenerator(NDManager manager, DriftingNetwork network, DriftingConfig config) {
        this.manager = manager;
        this.network = network;
        this.config = config;
        Networks.freeze(network.block());
    }

    /** Builds the (untrained) network a resolved config describes. */
    static DriftingNetwork network(DriftingConfig c) {
        int condDim = conditionWidth(c);
        if ("conv".equals(c.architecture())) {
            return new ConvDriftingGenerator(c.noiseDim(), condDim, Math.max(8, c.hidden() / 8), c.imageShapeArray());
        }
        return new MlpDriftingGenerator(c.noiseDim(), condDim, c.hidden(), c.depth(), c.dimension());
    }

    /** K one-hot columns plus one guidance column (α − 1) for conditional models; 0 otherwise. */
    static int conditionWidth(DriftingConfig c) {
        return Boolean.TRUE.equals(c.conditional()) ? c.numClasses() + 1 : 0;
    }

    /** The conditioning rows [one-hot(label), α − 1], or null for unconditional models. */
    static NDArray condition(NDManager scope, DriftingConfig c, int[] labels, float[] guidance) {
        int width = conditionWidth(c);
        if (width == 0) {
            return null;
        }
        float[] out = new float[labels.length * width];
        for (int i = 0; i < labels.length; i++) {
            out[i * width + labels[i]] = 1f;
            out[i * width + width - 1] = guidance[i] - 1f;
        }
        return FloatMatrix.nativeCopy(scope, out, new Shape(labels.length, width));
    }

    static DriftingGenerator load(Path directory, DriftingConfig config, Device device) throws IOException {
        byte[] bytes = Files.readAllBytes(directory.resolve(PARAMS));
        NDManager manager = NDManager.newBaseManager(device);
        try {
            DriftingNetwork network = network(config);
            Networks.initialize(network.block(), manager, 0L, network.inputShapes());
            Networks.fromBytes(network.block(), manager, bytes);
            return new DriftingGenerator(manager, network, config);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public int dimension() {
        return config.dimension();
    }

    /** Drifting is one network evaluation: there is no sampler to choose. */
    @Override
    public List<String> samplers() {
        return List.of();
    }

    /** The network's block (for tests and benchmarks that inspect the weights). */
    public ai.djl.nn.Block networkBlock() {
        return network.block();
    }

    public DriftingConfig config() {
        return config;
    }

    @Override
    public SampleResult sample(SampleSpec spec) {
        boolean conditional = Boolean.TRUE.equals(config.conditional());
        String accepted = conditional ? "n, seed, classLabel (0.." + (config.numClasses() - 1)
                + ", null = round-robin), guidance ([1, " + config.guidanceWeight() + "], default 1)" : "n, seed";
        spec.requireAbsent("sampler", spec.sampler(), "drifting (one-step, 1 NFE)", accepted);
        spec.requireAbsent("steps", spec.steps(), "drifting (one-step, 1 NFE)", accepted);
        spec.requireAbsent("trajectory", spec.trajectory() == 0 ? null : spec.trajectory(),
                "drifting (one-step, 1 NFE)", accepted);
        int[] labels = new int[spec.n()];
        float[] guidance = new float[spec.n()];
        if (conditional) {
            Integer label = spec.classLabel();
            if (label != null && (label < 0 || label >= config.numClasses())) {
                throw new IllegalArgumentException("classLabel must be in [0, " + (config.numClasses() - 1)
                        + "], got " + label);
            }
            double g = spec.guidance() == null ? 1.0 : spec.guidance();
            if (!(g >= 1) || g > config.guidanceWeight()) {
                throw new IllegalArgumentException("guidance must be in [1, " + config.guidanceWeight()
                        + "] (the range this model was trained on), got " + g);
            }
            for (int i = 0; i < labels.length; i++) {
                labels[i] = label != null ? label : i % config.numClasses();
                guidance[i] = (float) g;
            }
        } else {
            spec.requireAbsent("classLabel", spec.classLabel(), "unconditional drifting", accepted);
            spec.requireAbsent("guidance", spec.guidance(), "unconditional drifting", accepted);
        }
        float[] noise = new RandomSource(spec.seed()).gaussians(Math.multiplyExact(spec.n(), network.noiseDim()));
        SampleResult result = new SampleResult(generate(noise, labels, guidance), 1);
        return conditional ? result.withLabels(labels) : result;
    }

    /** Runs the network on the given noise rows (n × noiseDim, row-major), chunked to bound memory. */
    FloatMatrix generate(float[] noise, int[] labels, float[] guidance) {
        int n = labels.length;
        int dim = config.dimension();
        float[] out = new float[Math.multiplyExact(n, dim)];
        int z = network.noiseDim();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (NDManager scope = manager.newSubManager()) {
                NDArray zs = FloatMatrix.nativeCopy(scope, java.util.Arrays.copyOfRange(noise, from * z, to * z),
                        new Shape(to - from, z));
                NDArray cond = condition(scope, config, java.util.Arrays.copyOfRange(labels, from, to),
                        java.util.Arrays.copyOfRange(guidance, from, to));
                NDArray x = network.generate(new ParameterStore(scope, false), zs, cond, false);
                if (Boolean.TRUE.equals(config.clampOutput()) && config.dataRange() != null) {
                    x = x.clip(config.dataRange().get(0), config.dataRange().get(1));
                }
                float[] values = x.toFloatArray();
                System.arraycopy(values, 0, out, from * dim, values.length);
            }
        }
        return new FloatMatrix(out, n, dim);
    }

    @Override
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path tmp = Files.createTempFile(directory, PARAMS, ".tmp");
        try {
            Files.write(tmp, Networks.toBytes(network.block()));
            Files.move(tmp, directory.resolve(PARAMS), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
