package dev.genserve.generative.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.likelihood.ProbabilityFlowLikelihood;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.batch.MergedSampling;
import dev.genserve.generative.batch.RowChunks;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.sampling.EulerMaruyamaSampler;
import dev.genserve.generative.sampling.PredictorCorrectorSampler;
import dev.genserve.generative.sampling.ProbabilityFlowEulerSampler;
import dev.genserve.generative.sampling.ProbabilityFlowHeunSampler;
import dev.genserve.generative.sampling.ReverseSampler;
import dev.genserve.generative.sampling.SamplerRegistry;
import dev.genserve.generative.sde.ComposedSde;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A trained score model: draws x_T from the SDE's prior and integrates the reverse dynamics with the requested
 * sampler using the network's score ({@link ScoreNetwork}), class-conditional with classifier-free guidance when
 * the model is. Each call works in its own NDManager scope, so concurrent calls are safe.
 */
public final class DiffusionGenerator implements Generator {

    public static final List<String> SAMPLERS = List.of(EulerMaruyamaSampler.NAME, ProbabilityFlowHeunSampler.NAME,
            ProbabilityFlowEulerSampler.NAME, PredictorCorrectorSampler.NAME);
    static final String PARAMS = "model.params";
    static final String FIT = "composed-fit.bin";
    private static final String ACCEPTED = "n, seed, sampler (" + String.join(" | ", SAMPLERS)
            + "), steps, trajectory";
    private static final String ACCEPTED_CONDITIONAL = ACCEPTED + ", classLabel, guidance";

    /** Requests of up to 256 rows are evaluated in chunks of 64 rows, alone or merged (see {@link RowChunks}). */
    static final RowChunks CHUNKS = new RowChunks(64, 256);

    private final NDManager manager;
    private final ScoreNetwork network;
    private final Sde sde;
    private final DiffusionConfig config;

    DiffusionGenerator(NDManager manager, ScoreNetwork network, Sde sde, DiffusionConfig config) {
        this.manager = manager;
        this.network = network;
        this.sde = sde;
        this.config = config;
        Networks.freeze(network.block());
    }

    public Sde sde() {
        return sde;
    }

    public ScoreNetwork network() {
        return network;
    }

    @Override
    public int dimension() {
        return config.dimension();
    }

    @Override
    public List<String> samplers() {
        List<String> names = new java.util.ArrayList<>(SAMPLERS);
        names.remove(config.sampler());
        names.add(0, config.sampler());
        return List.copyOf(names);
    }

    /** The sampler for an API name; throws IllegalArgumentException listing the accepted names. */
    ReverseSampler sampler(String name) {
        return SamplerRegistry.create(name == null ? config.sampler() : name,
                new SamplerRegistry.Options(config.snr()), SAMPLERS, "diffusion");
    }

    /** The unconditional score s_θ(x, t) (the null class of a conditional model). */
    public ScoreFunction scoreFunction(ParameterStore store) {
        return network.scoreFunction(store, sde);
    }

    /**
     * log p_θ(z) of standardised rows z through the probability-flow ODE of the unconditional score (nats,
     * standardised units; see {@link ProbabilityFlowLikelihood}), with the estimator's probes drawn from
     * {@code seed}.
     */
    public double[] logLikelihood(FloatMatrix z, ProbabilityFlowLikelihood estimator, long seed) {
        if (z.cols() != dimension()) {
            throw new IllegalArgumentException("rows have " + z.cols() + " values, the model has dimension "
                    + dimension());
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            return estimator.logProb(sde, scoreFunction(store), z, scope, new RandomSource(seed));
        }
    }

    /**
     * Requests that may be merged: an unconditional model, same sampler and step count, no trajectory,
     * n ≤ {@link RowChunks#maxRequestRows}. (Conditional requests are not merged: their labels and guidance scale
     * would have to be chunked with the rows.)
     */
    private record BatchKey(String sampler, int steps) {}

    @Override
    public Object batchKey(SampleSpec spec) {
        if (guidance(spec) != ScoreNetwork.Guidance.NONE) {
            return null;
        }
        String sampler = sampler(spec.sampler()).name();
        int steps = spec.steps() == null ? config.sampleSteps() : spec.steps();
        return spec.trajectory() == 0 && CHUNKS.mergeable(spec.n()) ? new BatchKey(sampler, steps) : null;
    }

    @Override
    public List<SampleResult> sampleBatch(List<SampleSpec> specs) {
        if (!(MergedSampling.sharedKey(this, specs) instanceof BatchKey key)) {
            return Generator.super.sampleBatch(specs);
        }
        try (NDManager scope = manager.newSubManager()) {
            ScoreFunction score = CHUNKS.score(scoreFunction(new ParameterStore(scope, false)));
            return MergedSampling.reverse(scope, sde, sampler(key.sampler()), key.steps(), dimension(), score, specs);
        }
    }

    @Override
    public SampleResult sample(SampleSpec spec) {
        if (batchKey(spec) != null) {
            return sampleBatch(List.of(spec)).get(0);
        }
        ReverseSampler sampler = sampler(spec.sampler());
        int steps = spec.steps() == null ? config.sampleSteps() : spec.steps();
        try (NDManager scope = manager.newSubManager()) {
            RandomSource random = new RandomSource(spec.seed());
            ScoreNetwork.Guidance guidance = guidance(spec);
            NDArray start = sde.samplePrior(scope, spec.n(), dimension(), random);
            ParameterStore store = new ParameterStore(scope, false);
            return sampler.sample(sde, network.scoreFunction(store, sde, guidance), start, steps, random,
                    spec.trajectory());
        }
    }

    /**
     * The class labels and guidance scale of a request: unconditional models accept neither; conditional ones
     * generate {@code classLabel} (or classes drawn uniformly, seeded) with scale {@code guidance} (or the config's).
     */
    ScoreNetwork.Guidance guidance(SampleSpec spec) {
        if (!Boolean.TRUE.equals(config.conditional())) {
            spec.requireAbsent("guidance", spec.guidance(), "unconditional diffusion", ACCEPTED);
            spec.requireAbsent("classLabel", spec.classLabel(), "unconditional diffusion", ACCEPTED);
            return ScoreNetwork.Guidance.NONE;
        }
        int classes = config.numClasses();
        if (spec.classLabel() != null && (spec.classLabel() < 0 || spec.classLabel() >= classes)) {
            throw new IllegalArgumentException("classLabel must be in [0, " + classes + "), got "
                    + spec.classLabel() + "; accepted options: " + ACCEPTED_CONDITIONAL);
        }
        double scale = spec.guidance() == null ? config.guidance() : spec.guidance();
        if (!(scale >= 0 && scale <= 20)) {
            throw new IllegalArgumentException("guidance must be in [0, 20], got " + scale);
        }
        int[] labels = new int[spec.n()];
        RandomSource draws = new RandomSource(RandomSource.mix(spec.seed(), 0xC1A5L));
        for (int i = 0; i < labels.length; i++) {
            labels[i] = spec.classLabel() != null ? spec.classLabel() : draws.nextInt(classes);
        }
        return new ScoreNetwork.Guidance(labels, scale);
    }

    @Override
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        byte[] params = Networks.toBytes(network.block());
        writeAtomically(directory.resolve(PARAMS), out -> out.write(params));
        if (sde instanceof ComposedSde composed) {
            ComposedSde.Fit fit = composed.fit();
            writeAtomically(directory.resolve(FIT), out -> {
                DataOutputStream data = new DataOutputStream(out);
                writeArray(data, fit.priorMean());
                writeArray(data, fit.priorStd());
                writeArray(data, fit.noiseScale());
                data.flush();
            });
        }
    }

    private static void writeArray(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), ".tmp-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
