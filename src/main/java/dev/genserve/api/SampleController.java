package dev.genserve.api;

import dev.genserve.processes.SnapshotStripEncoder;
import dev.genserve.sampling.CsvEncoder;
import dev.genserve.sampling.NpyEncoder;
import dev.genserve.sampling.PngEncoder;
import dev.genserve.sampling.SampleOutput;
import dev.genserve.sampling.SampleRequest;
import dev.genserve.sampling.SampleWorkers;
import dev.genserve.sampling.SamplingService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Samples from a model version. The format follows {@code Accept}: JSON (default), CSV, NPY (float32, shaped
 * like the data) or PNG (an image grid, or a scatter plot with axes for 2-D data, coloured by class for
 * class-conditional models). The seed used is echoed in the body and in the {@code X-Seed} header, so any response
 * can be reproduced byte for byte. The work runs in the compute bulkhead, answered asynchronously: it is cancelled at
 * its deadline or when the client goes away.
 */
@RestController
@RequestMapping("/api/v1/models/{name}/versions/{reference}/samples")
@Tag(name = "sampling")
public class SampleController {

    public static final String NPY = "application/x-npy";

    /** JSON response body. */
    public record SamplesView(String model, int version, long seed, int n, int[] sampleShape, int functionEvaluations,
            double millis, List<float[]> samples, List<SnapshotView> trajectory) {}

    public record SnapshotView(double t, List<float[]> points) {}

    private final SamplingService sampling;
    private final SampleWorkers workers;

    public SampleController(SamplingService sampling, SampleWorkers workers) {
        this.sampling = sampling;
        this.workers = workers;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Draw samples", description = "Body {n, seed, sampler, steps, guidance, class, trajectory}."
            + " Options that do not fit the model's family are rejected with 400 naming the valid ones; a request"
            + " over the work budget is a 422, one that runs past its deadline a 503.")
    public DeferredResult<ResponseEntity<SamplesView>> json(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return answer(name, reference, request, SamplingService.Format.JSON, out -> {
            List<SnapshotView> trajectory = new ArrayList<>();
            for (var snapshot : out.trajectory()) {
                trajectory.add(new SnapshotView(snapshot.t(), rows(snapshot.points())));
            }
            return headers(out).body(new SamplesView(out.model(), out.version(), out.seed(), out.samples().rows(),
                    out.sampleShape(), out.functionEvaluations(), out.millis(), rows(out.samples()), trajectory));
        });
    }

    @PostMapping(produces = "text/csv")
    public DeferredResult<ResponseEntity<String>> csv(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return answer(name, reference, request, SamplingService.Format.CSV, out -> headers(out)
                .contentType(MediaType.parseMediaType("text/csv")).body(CsvEncoder.encode(out.samples())));
    }

    @PostMapping(produces = NPY)
    public DeferredResult<ResponseEntity<byte[]>> npy(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return answer(name, reference, request, SamplingService.Format.NPY, out -> {
            int[] shape = new int[out.sampleShape().length + 1];
            shape[0] = out.samples().rows();
            System.arraycopy(out.sampleShape(), 0, shape, 1, out.sampleShape().length);
            return headers(out).contentType(MediaType.parseMediaType(NPY))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"samples.npy\"")
                    .body(NpyEncoder.encode(out.samples().data(), shape));
        });
    }

    @PostMapping(produces = MediaType.IMAGE_PNG_VALUE)
    public DeferredResult<ResponseEntity<byte[]>> png(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return answer(name, reference, request, SamplingService.Format.PNG, out -> {
            if (!out.trajectory().isEmpty()) {
                // a trajectory request on vector data draws the reverse process as a strip of its snapshots
                return headers(out).contentType(MediaType.IMAGE_PNG).body(SnapshotStripEncoder.encode(
                        out.trajectory(), out.model() + " v" + out.version() + " reverse trajectory, n = "
                                + out.samples().rows()));
            }
            return headers(out).contentType(MediaType.IMAGE_PNG)
                    .body(PngEncoder.encode(out.samples(), out.sampleShape(), out.labels()));
        });
    }

    private <T> DeferredResult<ResponseEntity<T>> answer(String name, String reference, SampleRequest request,
            SamplingService.Format format, Function<SampleOutput, ResponseEntity<T>> render) {
        return AsyncResponses.answer(sampling.submit(name, reference, orEmpty(request), format), workers, render);
    }

    private static SampleRequest orEmpty(SampleRequest request) {
        return request == null ? new SampleRequest(null, null, null, null, null, null, null) : request;
    }

    private static ResponseEntity.BodyBuilder headers(SampleOutput out) {
        return ResponseEntity.ok().header("X-Seed", Long.toString(out.seed()))
                .header("X-Model-Version", out.model() + "/" + out.version());
    }

    private static List<float[]> rows(dev.genserve.generative.FloatMatrix m) {
        List<float[]> rows = new ArrayList<>(m.rows());
        for (int i = 0; i < m.rows(); i++) {
            rows.add(m.row(i));
        }
        return rows;
    }
}
