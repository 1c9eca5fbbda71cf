package dev.genserve.processes;

import ai.djl.ndarray.NDManager;
import dev.genserve.api.PayloadTooLargeException;
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
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
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
    private final JsonMapper strict = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final int maxParticles;

    public ProcessSimulationService(DatasetService datasets,
            @Value("${genserve.processes.max-particles:5000}") int maxParticles) {
        this.datasets = datasets;
        this.maxParticles = maxParticles;
    }

    public Result simulate(Request request) {
        String process = request.process() == null ? "attractor" : request.process();
        if (!process.equals("attractor") && !SDES.contains(process)) {
            throw new IllegalArgumentException("unknown process '" + process + "'; valid: attractor, " + SDES);
        }
        if (request.dataset() == null || request.dataset().isBlank()) {
            throw new IllegalArgumentException("dataset is required (an id, a name or builtin:<name>)");
        }
        int n = request.n() == null ? 500 : request.n();
        if (n < 2) {
            throw new IllegalArgumentException("n must be ≥ 2 particles, got " + n);
        }
        if (n > maxParticles) {
            throw new PayloadTooLargeException("n = " + n + " exceeds the limit of " + maxParticles
                    + " particles (genserve.processes.max-particles)");
        }
        int snapshots = request.snapshots() == null ? 10 : request.snapshots();
        if (snapshots < 1 || snapshots > 200) {
            throw new IllegalArgumentException("snapshots must be in [1, 200], got " + snapshots);
        }
        long seed = request.seed() == null ? 0 : request.seed();
        LoadedDataset data = datasets.load(datasets.resolve(request.dataset()).id());
        FloatMatrix rows = data.rows();
        int[] pick = new RandomSource(seed).indices(Math.min(n, rows.rows()), rows.rows());
        FloatMatrix x0 = Standardizer.fit(rows, data.isImage()).forward(rows.selectRows(pick));
        ObjectNode params = request.params() == null ? strict.createObjectNode() : (ObjectNode) request.params();
        List<SampleResult.Snapshot> result;
        if (process.equals("attractor")) {
            ProcessParameters p = attractorParameters(params, request.steps());
            result = AttractorProcess.simulate(x0, p, snapshots, seed).snapshots();
        } else {
            params.put("type", process);
            SdeConfig config = SdeRegistry.resolve(read(params, SdeConfig.class, process), x0);
            Sde sde = SdeRegistry.build(config);
            int steps = request.steps() == null ? 100 : request.steps();
            if (steps < 1 || steps > 10_000) {
                throw new IllegalArgumentException("steps must be in [1, 10000], got " + steps);
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                result = ForwardSimulator.simulate(sde, x0.toNd(manager), sde.horizon(), steps,
                        new RandomSource(seed), snapshots).trajectory();
            }
        }
        return new Result(process, x0.rows(), x0.cols(), seed, result);
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
            throw new IllegalArgumentException("invalid params for process '" + process + "': " + e.getOriginalMessage(), e);
        }
    }
}
