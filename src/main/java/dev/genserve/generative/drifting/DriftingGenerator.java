package dev.genserve.generative.drifting;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.batch.BatchRows;
import dev.genserve.generative.batch.MergedSampling;
import dev.genserve.generative.batch.RowChunks;
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
    /** Rows per forward pass of a large request (bounds its memory). */
    private static final int CHUNK = 16384;
    /**
     * Requests of up to 32 rows are evaluated in chunks of 128 rows, alone or merged (see {@link RowChunks}). Only
     * requests of at most a quarter chunk merge: a one-step generator answers a larger one in about a millisecond,
     * and merging it saves no forward pass but costs the batching window (measured: 0.4–0.8× the throughput at
     * n = 100 with merging up to 1024 rows, docs/benchmarks.md).
     */
    static final RowChunks CHUNKS = new RowChunks(128, 32);

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
        return new MlpDriftingGenerator(c.noiseDim(), condDim, c.hidden(), c.depth(), c.dimension(),
                c.fourierFeatures() == null ? 0 : c.fourierFeatures(),
                c.fourierScale() == null ? 1.0 : c.fourierScale(), c.seed() == null ? 0L : c.seed(),
                c.noiseCodes() == null ? 0 : c.noiseCodes(), c.codebook() == null ? 0 : c.codebook());
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

    /** A request's rows: class labels and guidance per row (unused by unconditional models). */
    private record Rows(int[] labels, float[] guidance) {}

    /** The one key of every mergeable request: labels and guidance are per row, so any two requests can merge. */
    private static final String BATCH_KEY = "drifting";

    /** Checks the options and lays out the request's rows (round-robin classes when no label is given). */
    private Rows rows(SampleSpec spec) {
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
        return new Rows(labels, guidance);
    }

    /** The result with the class of each sample, for conditional models. */
    private SampleResult labelled(SampleResult result, int[] labels) {
        return Boolean.TRUE.equals(config.conditional()) ? result.withLabels(labels) : result;
    }

    private float[] noise(SampleSpec spec) {
        return new RandomSource(spec.seed()).gaussians(Math.multiplyExact(spec.n(), network.noiseDim()));
    }

    @Override
    public Object batchKey(SampleSpec spec) {
        rows(spec);
        return CHUNKS.mergeable(spec.n()) ? BATCH_KEY : null;
    }

    @Override
    public SampleResult sample(SampleSpec spec) {
        Rows rows = rows(spec);
        return labelled(new SampleResult(generate(noise(spec), rows.labels(), rows.guidance(),
                CHUNKS.mergeable(spec.n())), 1), rows.labels());
    }

    /** Stacks the requests' noise, labels and guidance (each request's noise from its own seed) and runs them as one. */
    @Override
    public List<SampleResult> sampleBatch(List<SampleSpec> specs) {
        if (MergedSampling.sharedKey(this, specs) == null) {
            return Generator.super.sampleBatch(specs);
        }
        BatchRows blocks = BatchRows.of(specs);
        int total = blocks.total();
        int z = network.noiseDim();
        float[] noise = new float[Math.multiplyExact(total, z)];
        int[] labels = new int[total];
        float[] guidance = new float[total];
        int from = 0;
        for (SampleSpec spec : specs) {
            Rows rows = rows(spec);
            System.arraycopy(noise(spec), 0, noise, from * z, spec.n() * z);
            System.arraycopy(rows.labels(), 0, labels, from, spec.n());
            System.arraycopy(rows.guidance(), 0, guidance, from, spec.n());
            from += spec.n();
        }
        return blocks.split(labelled(new SampleResult(generate(noise, labels, guidance, true), 1), labels));
    }

    /**
     * Runs the network on the given noise rows (n × noiseDim, row-major). {@code canonical}: in {@link #CHUNKS} of
     * fixed shape, the last one zero-padded, so that every row is computed the same way whatever its batch-mates
     * (mergeable requests, alone or merged); otherwise in chunks of up to {@value #CHUNK} rows, to bound memory.
     */
    FloatMatrix generate(float[] noise, int[] labels, float[] guidance, boolean canonical) {
        int chunk = canonical ? CHUNKS.rows() : CHUNK;
        int n = labels.length;
        int dim = config.dimension();
        float[] out = new float[Math.multiplyExact(n, dim)];
        int z = network.noiseDim();
        for (int from = 0; from < n; from += chunk) {
            int count = Math.min(chunk, n - from);
            int rows = canonical ? chunk : count;
            // the NDScope also closes what an op placed in the model's manager (an op on a parameter alone does)
            try (NDManager scope = manager.newSubManager(); NDScope ignored = new NDScope()) {
                NDArray zs = FloatMatrix.nativeCopy(scope, RowChunks.padRows(noise, z, from, count, rows),
                        new Shape(rows, z));
                int[] chunkLabels = new int[rows];
                System.arraycopy(labels, from, chunkLabels, 0, count);
                float[] chunkGuidance = RowChunks.padRows(guidance, 1, from, count, rows);
                java.util.Arrays.fill(chunkGuidance, count, rows, 1f);
                NDArray cond = condition(scope, config, chunkLabels, chunkGuidance);
                NDArray x = network.generate(new ParameterStore(scope, false), zs, cond, false);
                if (Boolean.TRUE.equals(config.clampOutput()) && config.dataRange() != null) {
                    x = x.clip(config.dataRange().get(0), config.dataRange().get(1));
                }
                float[] values = x.toFloatArray();
                System.arraycopy(values, 0, out, from * dim, count * dim);
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
