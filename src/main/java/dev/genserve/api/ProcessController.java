package dev.genserve.api;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.processes.ProcessSimulationService;
import dev.genserve.processes.SnapshotStripEncoder;
import dev.genserve.sampling.SampleWorkers;
import io.swagger.v3.oas.annotations.Operation;
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

/** Forward simulation of processes on data, for visualising how data turns into noise. */
@RestController
@RequestMapping("/api/v1/processes")
@Tag(name = "processes")
public class ProcessController {

    public record SnapshotView(double t, List<float[]> points) {}

    public record SimulationView(String process, int n, int dimension, long seed, String units,
            List<SnapshotView> snapshots) {}

    private final ProcessSimulationService simulations;
    private final SampleWorkers workers;

    public ProcessController(ProcessSimulationService simulations, SampleWorkers workers) {
        this.simulations = simulations;
        this.workers = workers;
    }

    @PostMapping(path = "/simulate", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Simulate a forward process from a dataset",
            description = "Body {process: attractor|vp|subvp|ve|ou|brownian|composed, dataset, n, seed, snapshots, "
                    + "steps, params}. params holds the process's parameters (attractor: alpha, beta, lambda, delta, "
                    + "horizon, gridPower; SDEs: betaMin, betaMax, sigmaMin, sigmaMax, theta, sigma, drift, diffusion, "
                    + "T, eps). Returns K snapshots of the particles in standardised units.")
    public DeferredResult<SimulationView> simulate(@RequestBody ProcessSimulationService.Request request) {
        return AsyncResponses.answer(simulations.submit(request), workers, result -> {
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

    @PostMapping(value = "/simulate", produces = MediaType.IMAGE_PNG_VALUE)
    @Operation(summary = "Simulate a forward process and draw it",
            description = "The same request as the JSON form; the snapshots come back as a PNG strip, one scatter "
                    + "panel per snapshot on common axes (standardised units, first two coordinates).")
    public DeferredResult<ResponseEntity<byte[]>> simulatePng(
            @RequestBody ProcessSimulationService.Request request) {
        return AsyncResponses.answer(simulations.submit(request), workers, result -> {
            if (!SnapshotStripEncoder.supports(result.dimension())) {
                throw new InvalidInputException("image/png needs data with at least 2 columns; this dataset has "
                        + result.dimension() + ": ask for application/json");
            }
            String title = result.process() + " forward process, n = " + result.n() + ", seed " + result.seed();
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                    .body(SnapshotStripEncoder.encode(result.snapshots(), title));
        });
    }
}
