package dev.genserve.processes;

import ai.djl.ndarray.NDManager;
import dev.genserve.config.StrictJson;
import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.PayloadTooLargeException;
import dev.genserve.errors.WorkBudgetExceededException;
import dev.genserve.datasets.DatasetService;
import dev.genserve.datasets.LoadedDataset;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.attractor.AttractorProcess;
import dev.genserve.generative.attractor.ProcessParameters;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.sampling.ForwardSimulator;
import dev.genserve.generative.sde.SdeConfig;
import dev.genserve.generative.sde.Sde;
import dev.genserve.generative.sde.SdeRegistry;
import dev.genserve.sampling.SampleWorkers;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Forward simulation of a process on a dataset, for visualisation: the mean-field attractor or any forward SDE
 * (VP, sub-VP, VE, OU, Brownian, composed), started from n standardised rows of the data, returning K snapshots.
 */
@Service
public class ProcessSimulationService {

    /** A simulation request; {@code params} holds the process's own parameters. */
    public record Request(String process, String dataset, Integer n, Long seed, Integer snapshots, Integer steps,
            JsonNode params) {}

    /** The snapshots, in standardised units (the frame the processes are defined in). */
    public record Result(String process, int n, int dimension, long seed, List<SampleResult.Snapshot> snapshots) {}

    /** Attractor parameters a request may set; absent ones take the process defaults. */
    public record AttractorOverrides(Double alpha, Double beta, Double lambda, Double delta, Double horizon,
            Double gridPower) {}

    static final Set<String> SDES = Set.copyOf(SdeRegistry.NAMES);

    private final DatasetService datasets;
    private final SampleWorkers workers;
    private final JsonMapper strict = StrictJson.mapper();
    private final int maxParticles;
    private final double maxCost;

    public ProcessSimulationService(DatasetService datasets, SampleWorkers workers,
            @Value("${genserve.processes.max-particles:5000}") int maxParticles,
            @Value("${genserve.processes.max-cost:2.0e10}") double maxCost) {
        this.datasets = datasets;
        this.workers = workers;
        this.maxParticles = maxParticles;
        this.maxCost = maxCost;
    }

    /**
     * Checks the request (400, 413, and 422 over the work budget: steps × n × D, times n for the attractor's O(n²)
     * mean field) and queues the simulation in the compute bulkhead, with its deadline and cancellation.
     */
    public SampleWorkers.Task<Result> submit(Request request) {
        String process = request.process() == null ? "attractor" : request.process();
        if (!process.equals("attractor") && !SDES.contains(process)) {
            throw new InvalidInputException("unknown process '" + process + "'; valid: attractor, " + SDES);
        }
        if (request.dataset() == null || request.dataset().isBlank()) {
            throw new InvalidInputException("dataset is required (an id, a name or builtin:<name>)");
        }
        if (request.params() != null && !request.params().isNull() && !request.params().isObject()) {
            throw new InvalidInputException("params must be a JSON object of the process's parameters, got "
                    + request.params().getNodeType().name().toLowerCase());
        }
        int n = request.n() == null ? 500 : request.n();
        if (n < 2) {
            throw new InvalidInputException("n must be ≥ 2 particles, got " + n);
        }
        if (n > maxParticles) {
            throw new PayloadTooLargeException("n = " + n + " exceeds the limit of " + maxParticles
                    + " particles (genserve.processes.max-particles)");
        }
        int snapshots = request.snapshots() == null ? 10 : request.snapshots();
        if (snapshots < 1 || snapshots > 200) {
            throw new InvalidInputException("snapshots must be in [1, 200], got " + snapshots);
        }
        long seed = request.seed() == null ? 0 : request.seed();
        ObjectNode params = request.params() == null || request.params().isNull() ? strict.createObjectNode()
                : ((ObjectNode) request.params()).deepCopy();
        DatasetService.Resolved dataset = datasets.resolve(request.dataset());
        long particles = Math.min(n, dataset.rows());
        boolean attractor = process.equals("attractor");
        ProcessParameters attractorParams = attractor
                ? InvalidInputException.fromCore(() -> attractorParameters(params, request.steps())) : null;
        int steps = attractor ? attractorParams.steps() : request.steps() == null ? 100 : request.steps();
        if (!attractor && (steps < 1 || steps > 10_000)) {
            throw new InvalidInputException("steps must be in [1, 10000], got " + steps);
        }
        if (snapshots > steps + 1) {
            throw new InvalidInputException("snapshots must be at most steps + 1 = " + (steps + 1) + ", got " + snapshots);
        }
        double cost = (double) steps * particles * dataset.cols() * (attractor ? particles : 1);
        if (cost > maxCost) {
            throw new WorkBudgetExceededException(String.format(java.util.Locale.ROOT, "This simulation would cost "
                    + "about %.3g operations (%d steps × %d particles × %d dimensions%s), more than the budget of %.3g "
                    + "(genserve.processes.max-cost): use fewer steps or particles.", cost, steps, particles,
                    dataset.cols(), attractor ? " × " + particles + " particles for the mean field" : "", maxCost),
                    cost, maxCost, "genserve.processes.max-cost");
        }
        LoadedDataset data = datasets.load(dataset);
        FloatMatrix rows = data.rows();
        int[] pick = new RandomSource(seed).indices((int) particles, rows.rows());
        FloatMatrix x0 = Standardizer.fit(rows, data.isImage()).forward(rows.selectRows(pick));
        Callable<List<SampleResult.Snapshot>> work;
        if (attractor) {
            work = () -> AttractorProcess.simulate(x0, attractorParams, snapshots, seed).snapshots();
        } else {
            params.put("type", process);
            Sde sde = InvalidInputException.fromCore(() -> SdeRegistry.build(
                    SdeRegistry.resolve(read(params, SdeConfig.class, process), x0)));
            work = () -> {
                try (NDManager manager = NDManager.newBaseManager()) {
                    return ForwardSimulator.simulate(sde, x0.toNd(manager), sde.horizon(), steps,
                            new RandomSource(seed), snapshots).trajectory();
                }
            };
        }
        return workers.submit(() -> new Result(process, x0.rows(), x0.cols(), seed, work.call()), () -> { });
    }

    private ProcessParameters attractorParameters(ObjectNode params, Integer steps) {
        ProcessParameters d = ProcessParameters.defaults();
        AttractorOverrides o = read(params, AttractorOverrides.class, "attractor");
        return new ProcessParameters(or(o.alpha(), d.alpha()), or(o.beta(), d.beta()), or(o.lambda(), d.lambda()),
                or(o.delta(), d.delta()), or(o.horizon(), d.horizon()), steps == null ? d.steps() : steps,
                or(o.gridPower(), d.gridPower()));
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private <T> T read(JsonNode node, Class<T> type, String process) {
        try {
            return strict.treeToValue(node, type);
        } catch (JacksonException e) {
            throw new InvalidInputException("invalid params for process '" + process + "': " + e.getOriginalMessage(), e);
        }
    }
}
