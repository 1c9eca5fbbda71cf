package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleResult.Snapshot;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.sampling.EulerMaruyamaSampler;
import dev.genserve.generative.sampling.PredictorCorrectorSampler;
import dev.genserve.generative.sampling.ProbabilityFlowEulerSampler;
import dev.genserve.generative.sampling.ProbabilityFlowHeunSampler;
import dev.genserve.generative.sampling.ReverseSampler;
import dev.genserve.generative.sampling.SamplerRegistry;
import dev.genserve.generative.sde.ScoreFunction;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Samples by reversing the attractor SDE ({@link AttractorSde}, through {@link dev.genserve.generative.sde.Sde#reverse})
 * with the learned score, using a sampler of the shared {@link SamplerRegistry} on the power grid t_j = T (j/S)^q
 * (q = sampleGridPower) from T down to 0. The mean field is estimated from the reverse cloud itself (the SDE's drift is
 * computed over the batch), because the reverse marginals are the forward ones. Sampler names: the registry's
 * ({@code euler-maruyama}, {@code pf-ode-heun}, {@code pf-ode-euler}, {@code predictor-corrector}) and the
 * attractor's historical names {@code reverse-sde} (= euler-maruyama) and {@code probability-flow} (= pf-ode-heun).
 * The request's n is the cloud F is estimated over; a request smaller than minCloud runs a cloud of minCloud
 * particles with the same seed and returns its first n rows; a request larger than maxCloud is split into
 * independent clouds of at most maxCloud particles (chunk c seeded by mix(seed, c)).
 */
public final class AttractorGenerator implements Generator {

    public static final String REVERSE_SDE = "reverse-sde";
    public static final String PROBABILITY_FLOW = "probability-flow";
    /** The attractor's own sampler names and the registry samplers they stand for. */
    public static final Map<String, String> ALIASES = Map.of(REVERSE_SDE, EulerMaruyamaSampler.NAME,
            PROBABILITY_FLOW, ProbabilityFlowHeunSampler.NAME);
    /** Every accepted sampler name, in a stable order. */
    public static final List<String> SAMPLERS = List.of(REVERSE_SDE, PROBABILITY_FLOW, EulerMaruyamaSampler.NAME,
            ProbabilityFlowHeunSampler.NAME, ProbabilityFlowEulerSampler.NAME, PredictorCorrectorSampler.NAME);
    static final String PARAMS_FILE = "model.params";
    static final String PRIOR_FILE = "prior.bin";
    private static final String ACCEPTED = "n, seed, sampler (" + String.join(", ", SAMPLERS) + "), steps, trajectory";

    private final NDManager manager;
    private final ResidualScoreNetwork network;
    private final GaussianPrior prior;
    private final AttractorConfig config;
    private final AttractorSde sde;

    AttractorGenerator(NDManager manager, ResidualScoreNetwork network, GaussianPrior prior, AttractorConfig config) {
        this.manager = manager;
        this.network = network;
        this.prior = prior;
        this.config = config;
        this.sde = new AttractorSde(config.process(), config.fieldTile(), prior);
        Networks.freeze(network.block());
    }

    public GaussianPrior prior() {
        return prior;
    }

    /** The forward process this generator reverses, with its fitted prior. */
    public AttractorSde sde() {
        return sde;
    }

    ResidualScoreNetwork network() {
        return network;
    }

    /** The learned score s_θ(x, t), for tests and diagnostics; arrays attach to x's manager. */
    public ScoreFunction score(ParameterStore store) {
        return network.scoreFunction(store);
    }

    @Override
    public int dimension() {
        return prior.dimension();
    }

    @Override
    public List<String> samplers() {
        List<String> names = new ArrayList<>(SAMPLERS);
        names.remove(config.sampler());
        names.add(0, config.sampler());
        return List.copyOf(names);
    }

    /** The registry sampler for an API name (an alias or a registry name). */
    static ReverseSampler sampler(String name) {
        String resolved = ALIASES.getOrDefault(name, name);
        if (!SAMPLERS.contains(name)) {
            throw new IllegalArgumentException("unknown sampler '" + name + "' for attractor models; accepted: "
                    + String.join(", ", SAMPLERS));
        }
        return SamplerRegistry.create(resolved, SamplerRegistry.Options.DEFAULT);
    }

    @Override
    public SampleResult sample(SampleSpec spec) {
        spec.requireAbsent("guidance", spec.guidance(), "attractor", ACCEPTED);
        spec.requireAbsent("classLabel", spec.classLabel(), "attractor", ACCEPTED);
        ReverseSampler sampler = sampler(spec.sampler() == null ? config.sampler() : spec.sampler());
        int steps = spec.steps() == null ? config.sampleSteps() : spec.steps();
        if (spec.trajectory() > steps + 1) {
            throw new IllegalArgumentException("trajectory must be at most steps + 1 = " + (steps + 1) + ", got "
                    + spec.trajectory());
        }
        double[] times = new TimeGrid(config.horizon(), steps, config.sampleGridPower()).descending();
        int d = dimension();
        float[] samples = new float[spec.n() * d];
        List<float[]> snapshotData = new ArrayList<>();
        double[] snapshotTimes = new double[spec.trajectory()];
        for (int a = 0; a < spec.trajectory(); a++) {
            snapshotData.add(new float[spec.n() * d]);
        }
        int nfe = 0;
        int done = 0;
        for (int chunk = 0; done < spec.n(); chunk++) {
            int size = Math.min(spec.n() - done, config.maxCloud());
            int cloud = Math.max(size, config.minCloud());
            SampleResult part;
            try (NDManager scope = manager.newSubManager()) {
                RandomSource random = new RandomSource(RandomSource.mix(spec.seed(), chunk));
                NDArray start = sde.samplePrior(scope, cloud, d, random);
                ParameterStore store = new ParameterStore(scope, false);
                part = sampler.sample(sde, network.scoreFunction(store), start, times, random, spec.trajectory());
            }
            nfe = part.functionEvaluations();
            int length = size * d;
            System.arraycopy(part.samples().data(), 0, samples, done * d, length);
            for (int a = 0; a < spec.trajectory(); a++) {
                Snapshot s = part.trajectory().get(a);
                snapshotTimes[a] = s.t();
                System.arraycopy(s.points().data(), 0, snapshotData.get(a), done * d, length);
            }
            done += size;
        }
        List<Snapshot> trajectory = new ArrayList<>();
        for (int a = 0; a < spec.trajectory(); a++) {
            trajectory.add(new Snapshot(snapshotTimes[a], new FloatMatrix(snapshotData.get(a), spec.n(), d)));
        }
        return new SampleResult(new FloatMatrix(samples, spec.n(), d), nfe, List.copyOf(trajectory));
    }

    @Override
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        byte[] weights = Networks.toBytes(network.block());
        writeAtomically(directory.resolve(PARAMS_FILE), out -> out.write(weights));
        writeAtomically(directory.resolve(PRIOR_FILE), prior::write);
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
