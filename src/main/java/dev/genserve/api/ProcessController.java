package dev.genserve.api;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.processes.ProcessSimulationService;
import dev.genserve.processes.SnapshotStripEncoder;
import dev.genserve.sampling.SampleWorkers;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Forward simulation of processes on data, for visualising how data turns into noise. Bounded like sampling: the
 * particle count and the work (steps × particles × dimension, × particles for the attractor) are checked before
 * anything runs, and the simulation runs in the {@link SampleWorkers} bulkhead with a deadline, cancelled when the
 * client goes away.
 */
@RestController
@RequestMapping(path = "/api/v1/processes", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "processes")
public class ProcessController {

    /** The processes that can be simulated. */
    public enum Process {
        attractor, vp, subvp, ve, ou, brownian, composed
    }

    @Schema(description = "A forward simulation: which process, started from which data")
    public record SimulateRequest(
            @Schema(description = "The process (default attractor)", defaultValue = "attractor") Process process,
            @Schema(description = "Dataset id, name or builtin:<name>", example = "builtin:moons",
                    requiredMode = Schema.RequiredMode.REQUIRED) String dataset,
            @Schema(description = "Particles (genserve.processes.max-particles caps it)", minimum = "2",
                    defaultValue = "500") Integer n,
            @Schema(description = "Seed of the particle draw and the noise", defaultValue = "0") Long seed,
            @Schema(description = "Snapshots to return", minimum = "1", maximum = "200", defaultValue = "10")
            Integer snapshots,
            @Schema(description = "Time steps (attractor: default its simulationSteps; SDEs: 1 to 10000, default 100)",
                    minimum = "1") Integer steps,
            @Schema(ref = "#/components/schemas/SimulationParams") Map<String, Object> params) {}

    @Schema(description = "The particles at one time")
    public record SnapshotView(double t, List<float[]> points) {}

    @Schema(description = "Snapshots of the particles along the forward process")
    public record SimulationView(String process, int n, int dimension, long seed,
            @Schema(description = "Units of the points: standardised (per-feature mean 0, std 1)") String units,
            List<SnapshotView> snapshots) {}

    private final ProcessSimulationService simulations;
    private final SampleWorkers workers;
    private final JsonMapper json;

    public ProcessController(ProcessSimulationService simulations, SampleWorkers workers, JsonMapper json) {
        this.simulations = simulations;
        this.workers = workers;
        this.json = json;
    }

    @PostMapping(path = "/simulate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "simulateProcess", summary = "Simulate a forward process from a dataset",
            description = "Returns K snapshots of n particles, from the data (t = 0) towards the prior; with Accept: "
                    + "image/png, a PNG strip of them (one scatter panel per snapshot on common axes, standardised "
                    + "units, first two coordinates; data with one column is a 400). Over "
                    + "genserve.processes.max-particles a 413, over the work budget (genserve.processes.max-cost) a "
                    + "422, past the deadline a 503.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    examples = @ExampleObject(name = "attractor", value = """
                            {"process": "attractor", "dataset": "builtin:moons", "n": 500, "snapshots": 8,
                             "params": {"alpha": 1, "delta": 0.2}}"""))))
    @ApiResponse(responseCode = "200", description = "The snapshots", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SimulationView.class)),
            @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary"))})
    public DeferredResult<SimulationView> simulate(@RequestBody SimulateRequest request) {
        return AsyncResponses.answer(simulations.submit(call(request)), workers, result -> {
            List<SnapshotView> snapshots = new ArrayList<>();
            for (var s : result.snapshots()) {
                List<float[]> rows = new ArrayList<>(s.points().rows());
                for (int i = 0; i < s.points().rows(); i++) {
                    rows.add(s.points().row(i));
                }
                snapshots.add(new SnapshotView(s.t(), rows));
            }
            return new SimulationView(result.process(), result.n(), result.dimension(), result.seed(), "standardised",
                    snapshots);
        });
    }

    /** The same simulation drawn as a PNG strip (documented on {@link #simulate}). */
    @Hidden
    @PostMapping(path = "/simulate", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.IMAGE_PNG_VALUE)
    public DeferredResult<ResponseEntity<byte[]>> simulatePng(@RequestBody SimulateRequest request) {
        return AsyncResponses.answer(simulations.submit(call(request)), workers, result -> {
            if (!SnapshotStripEncoder.supports(result.dimension())) {
                throw new InvalidInputException("image/png needs data with at least 2 columns; this dataset has "
                        + result.dimension() + ": ask for application/json");
            }
            String title = result.process() + " forward process, n = " + result.n() + ", seed " + result.seed();
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                    .body(SnapshotStripEncoder.encode(result.snapshots(), title));
        });
    }

    private ProcessSimulationService.Request call(SimulateRequest request) {
        return new ProcessSimulationService.Request(request.process() == null ? null : request.process().name(),
                request.dataset(), request.n(), request.seed(), request.snapshots(), request.steps(),
                request.params() == null ? null : json.valueToTree(request.params()));
    }
}
