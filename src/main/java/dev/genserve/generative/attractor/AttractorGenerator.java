package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleResult.Snapshot;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.nn.Networks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples by integrating the reverse of the attractor SDE from the fitted Gaussian prior at T down to 0, with
 * F_{p_t} estimated from the reverse particle cloud itself (self-excluded). On the grid t_S &gt; … &gt; t_0 = 0,
 * h = t_j − t_{j−1}:
 * <pre>
 * reverse-sde:      x_{j−1} = x_j − [α F(x_j) − β x_j − 2λ s_θ(x_j, t_j)] h + √(2λh) z   (no z on the last step)
 * probability-flow: x_{j−1} = x_j − [α F(x_j) − β x_j −  λ s_θ(x_j, t_j)] h
 * </pre>
 * The request's n is the cloud F is estimated over; a request smaller than minCloud runs a cloud of minCloud
 * particles with the same seed and returns its first n rows; a request larger than maxCloud is split into
 * independent clouds of at most maxCloud particles (chunk c seeded by mix(seed, c)).
 */
public final class AttractorGenerator implements Generator {

    public static final String REVERSE_SDE = "reverse-sde";
    public static final String PROBABILITY_FLOW = "probability-flow";
    static final String PARAMS_FILE = "model.params";
    static final String PRIOR_FILE = "prior.bin";
    private static final String ACCEPTED = "n, seed, sampler (" + REVERSE_SDE + ", " + PROBABILITY_FLOW
            + "), steps, trajectory";

    private final NDManager manager;
    private final ScoreNetwork network;
    private final GaussianPrior prior;
    private final AttractorConfig config;
    private final ProcessParameters params;
    private final TimeGrid trainingGrid;
    private final MeanFieldAttraction field;

    AttractorGenerator(NDManager manager, ScoreNetwork network, GaussianPrior prior, AttractorConfig config) {
        this.manager = manager;
        this.network = network;
        this.prior = prior;
        this.config = config;
        this.params = config.process();
        this.trainingGrid = params.grid();
        this.field = new MeanFieldAttraction(params.delta(), config.fieldTile());
        Networks.freeze(network.block());
    }

    public GaussianPrior prior() {
        return prior;
    }

    @Override
    public int dimension() {
        return prior.dimension();
    }

    @Override
    public List<String> samplers() {
        return List.of(REVERSE_SDE, PROBABILITY_FLOW);
    }

    @Override
    public SampleResult sample(SampleSpec spec) {
        spec.requireAbsent("guidance", spec.guidance(), "attractor", ACCEPTED);
        spec.requireAbsent("classLabel", spec.classLabel(), "attractor", ACCEPTED);
        String sampler = spec.sampler() == null ? REVERSE_SDE : spec.sampler();
        if (!samplers().contains(sampler)) {
            throw new IllegalArgumentException("unknown sampler '" + sampler + "' for attractor models; accepted: "
                    + String.join(", ", samplers()));
        }
        int steps = spec.steps() == null ? trainingGrid.steps() : spec.steps();
        if (spec.trajectory() > steps + 1) {
            throw new IllegalArgumentException("trajectory must be at most steps + 1 = " + (steps + 1) + ", got "
                    + spec.trajectory());
        }
        TimeGrid grid = new TimeGrid(params.horizon(), steps, params.gridPower());
        boolean stochastic = REVERSE_SDE.equals(sampler);
        int[] at = spec.trajectory() == 0 ? new int[0] : AttractorProcess.snapshotSteps(steps, spec.trajectory());
        float[] samples = new float[spec.n() * dimension()];
        List<float[]> snapshotData = new ArrayList<>();
        for (int a = 0; a < at.length; a++) {
            snapshotData.add(new float[spec.n() * dimension()]);
        }
        int done = 0;
        for (int chunk = 0; done < spec.n(); chunk++) {
            int size = Math.min(spec.n() - done, config.maxCloud());
            int cloud = Math.max(size, config.minCloud());
            List<float[]> chunkSnapshots = new ArrayList<>();
            float[] x = reverse(cloud, RandomSource.mix(spec.seed(), chunk), grid, stochastic, at, chunkSnapshots);
            int length = size * dimension();
            System.arraycopy(x, 0, samples, done * dimension(), length);
            for (int a = 0; a < at.length; a++) {
                System.arraycopy(chunkSnapshots.get(a), 0, snapshotData.get(a), done * dimension(), length);
            }
            done += size;
        }
        List<Snapshot> trajectory = new ArrayList<>();
        for (int a = 0; a < at.length; a++) {
            // snapshot index a is reverse step count at[a]: time t_{S − at[a]}
            trajectory.add(new Snapshot(grid.time(steps - at[a]),
                    new FloatMatrix(snapshotData.get(a), spec.n(), dimension())));
        }
        return new SampleResult(new FloatMatrix(samples, spec.n(), dimension()), steps, List.copyOf(trajectory));
    }

    /** One reverse run of a cloud of the given size; snapshots after reverse step counts {@code at}. */
    private float[] reverse(int cloud, long seed, TimeGrid grid, boolean stochastic, int[] at,
            List<float[]> snapshots) {
        int d = dimension();
        RandomSource random = new RandomSource(seed);
        float[] x = prior.sample(cloud, random).data();
        int next = 0;
        if (next < at.length && at[next] == 0) {
            snapshots.add(x.clone());
            next++;
        }
        double scoreWeight = stochastic ? 2 * params.lambda() : params.lambda();
        int steps = grid.steps();
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            for (int j = steps; j >= 1; j--) {
                dev.genserve.generative.Interruptions.check();
                double t = grid.time(j);
                double h = t - grid.time(j - 1);
                double sigmaTrain = Math.sqrt(2 * params.lambda() * trainingGrid.stepEndingAt(t));
                float[] mean;
                try (NDManager stepScope = scope.newSubManager()) {
                    NDArray xs = stepScope.create(x, new Shape(cloud, d));
                    NDArray clock = stepScope.full(new Shape(cloud, 1), (float) trainingGrid.clock(t));
                    NDArray epsilon = network.epsilon(store, xs, clock, false);
                    // −2λ s_θ = (2λ/σ) ε_θ
                    NDArray drift = xs.mul((float) -params.beta())
                            .add(epsilon.mul((float) (scoreWeight / sigmaTrain)));
                    if (params.alpha() > 0) {
                        drift = drift.add(field.selfField(xs).mul((float) params.alpha()));
                    }
                    mean = xs.sub(drift.mul((float) h)).toFloatArray();
                }
                if (stochastic && j > 1) {
                    float sigma = (float) Math.sqrt(2 * params.lambda() * h);
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += sigma * (float) random.nextGaussian();
                    }
                }
                x = mean;
                int taken = steps - j + 1;
                if (next < at.length && at[next] == taken) {
                    snapshots.add(x.clone());
                    next++;
                }
            }
        }
        return x;
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
