package dev.genserve.api;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.processes.SnapshotStripEncoder;
import dev.genserve.sampling.CsvEncoder;
import dev.genserve.sampling.NpyEncoder;
import dev.genserve.sampling.PngEncoder;
import dev.genserve.sampling.SampleOutput;
import dev.genserve.sampling.SampleRequest;
import dev.genserve.sampling.SampleWorkers;
import dev.genserve.sampling.SamplingMetrics;
import dev.genserve.sampling.SamplingService;
import dev.genserve.sampling.SamplingService.Format;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
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
 * Samples from a model version. {@code POST …/samples} follows {@code Accept}: JSON (default), CSV, NPY (float32,
 * shaped like the data) or PNG (an image grid, or a scatter plot with axes for 2-D data, coloured by class for
 * class-conditional models); {@code …/samples.csv},
 * {@code .npy} and {@code .png} give one format each, so that a generated client has one typed operation per format.
 * The seed used is echoed in the body and in {@code X-Seed}, so any response can be reproduced byte for byte
 * (the contract documents {@code X-Seed} and {@code X-Model-Version} on every sampling operation).
 *
 * <p>Every request is checked against the limits before any work (400 options, 413 size, 422 work budget, 503 when
 * the bulkhead is full), then computed in the {@link SampleWorkers} bulkhead and answered asynchronously: it is
 * cancelled at its deadline (503) or when the client goes away. Trajectories exist in JSON only; asking for one in
 * another format is a 400.
 */
@RestController
@RequestMapping("/api/v1/models/{name}/versions/{reference}")
@Tag(name = "sampling")
public class SampleController {

    public static final String NPY = "application/x-npy";
    public static final String CSV = "text/csv";

    /** JSON response body. */
    @Schema(description = "Samples in data units (the version's normalisation undone)")
    public record SamplesView(String model, int version, long seed, int n,
            @Schema(description = "Shape of one sample") int[] sampleShape,
            @Schema(description = "Network evaluations spent") int functionEvaluations,
            double millis,
            @Schema(description = "n rows, each a flattened sample") List<float[]> samples,
            @Schema(description = "Snapshots along the way, when asked for with trajectory") List<SnapshotView> trajectory) {}

    @Schema(description = "The particles at one time of a trajectory")
    public record SnapshotView(double t, List<float[]> points) {}

    private static final String BODY_EXAMPLE = "{\"n\": 1000, \"seed\": 7, \"sampler\": \"pf-ode-heun\", \"steps\": 100}";

    private final SamplingService sampling;
    private final SampleWorkers workers;
    private final SamplingMetrics metrics;

    public SampleController(SamplingService sampling, SampleWorkers workers, SamplingMetrics metrics) {
        this.sampling = sampling;
        this.workers = workers;
        this.metrics = metrics;
    }

    @PostMapping(path = "/samples", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "drawSamples", summary = "Draw samples (the format follows Accept)",
            description = "JSON by default; Accept: text/csv, application/x-npy or image/png give the same samples "
                    + "in that format (or use drawSamplesCsv / Npy / Png). Checked before any work: a request over "
                    + "the work budget is a 422, one that runs past its deadline a 503 (it is cancelled, as it is "
                    + "when the client disconnects).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    examples = @ExampleObject(name = "diffusion", value = BODY_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "The samples", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SamplesView.class)),
                    @Content(mediaType = CSV, schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = NPY, schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary"))})
    public DeferredResult<ResponseEntity<SamplesView>> json(@PathVariable String name,
            @Parameter(description = "A version number, 'latest' or an alias", example = "latest")
            @PathVariable String reference, @RequestBody(required = false) SampleRequest request) {
        return respond(name, reference, request, Format.JSON, out -> {
            List<SnapshotView> trajectory = new ArrayList<>();
            for (var snapshot : out.trajectory()) {
                trajectory.add(new SnapshotView(snapshot.t(), rows(snapshot.points())));
            }
            return new SamplesView(out.model(), out.version(), out.seed(), out.samples().rows(), out.sampleShape(),
                    out.functionEvaluations(), out.millis(), rows(out.samples()), trajectory);
        }, MediaType.APPLICATION_JSON);
    }

    @Hidden
    @PostMapping(path = "/samples", produces = CSV)
    public DeferredResult<ResponseEntity<String>> negotiatedCsv(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return csv(name, reference, request);
    }

    @Hidden
    @PostMapping(path = "/samples", produces = NPY)
    public DeferredResult<ResponseEntity<byte[]>> negotiatedNpy(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return npy(name, reference, request);
    }

    @Hidden
    @PostMapping(path = "/samples", produces = MediaType.IMAGE_PNG_VALUE)
    public DeferredResult<ResponseEntity<byte[]>> negotiatedPng(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return png(name, reference, request);
    }

    @PostMapping(path = "/samples.csv", produces = CSV)
    @Operation(operationId = "drawSamplesCsv", summary = "Draw samples as CSV (header x0,x1,…)")
    @ApiResponse(responseCode = "200", description = "The samples, one per line", content = @Content(mediaType = CSV, schema = @Schema(type = "string", format = "binary",
                    description = "A CSV file: header x0,x1,…, then one sample per line")))
    public DeferredResult<ResponseEntity<String>> csv(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return respond(name, reference, request, Format.CSV, out -> CsvEncoder.encode(out.samples()),
                MediaType.parseMediaType(CSV));
    }

    @PostMapping(path = "/samples.npy", produces = NPY)
    @Operation(operationId = "drawSamplesNpy", summary = "Draw samples as a NumPy .npy file",
            description = "float32, shaped (n, …sample shape), readable by numpy.load.")
    @ApiResponse(responseCode = "200", description = "The samples", content = @Content(mediaType = NPY, schema = @Schema(type = "string", format = "binary")))
    public DeferredResult<ResponseEntity<byte[]>> npy(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return respond(name, reference, request, Format.NPY, out -> {
            int[] shape = new int[out.sampleShape().length + 1];
            shape[0] = out.samples().rows();
            System.arraycopy(out.sampleShape(), 0, shape, 1, out.sampleShape().length);
            return NpyEncoder.encode(out.samples().data(), shape);
        }, MediaType.parseMediaType(NPY));
    }

    @PostMapping(path = "/samples.png", produces = MediaType.IMAGE_PNG_VALUE)
    @Operation(operationId = "drawSamplesPng", summary = "Draw samples as a PNG",
            description = "An image grid for image models, a scatter plot for 2-D models; other shapes are a 400. "
                    + "With trajectory (vector data with at least 2 columns), a strip of the reverse process: one "
                    + "scatter panel per snapshot, in data units.")
    @ApiResponse(responseCode = "200", description = "The picture", content = @Content(mediaType = MediaType.IMAGE_PNG_VALUE, schema = @Schema(type = "string", format = "binary")))
    public DeferredResult<ResponseEntity<byte[]>> png(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        return respond(name, reference, request, Format.PNG, out -> out.trajectory().isEmpty()
                ? PngEncoder.encode(out.samples(), out.sampleShape(), out.labels())
                : SnapshotStripEncoder.encode(out.trajectory(), out.model() + " v" + out.version()
                        + " reverse trajectory, n = " + out.samples().rows()), MediaType.IMAGE_PNG);
    }

    /**
     * Checks and queues the request, then (asynchronously) encodes the samples, records the latency by family and
     * format, and sets the reproducibility headers.
     */
    private <T> DeferredResult<ResponseEntity<T>> respond(String name, String reference, SampleRequest request,
            Format format, Function<SampleOutput, T> encode, MediaType type) {
        long start = System.nanoTime();
        SampleWorkers.Task<SampleOutput> task = sampling.submit(name, reference, request == null
                ? new SampleRequest(null, null, null, null, null, null, null) : request, format);
        return AsyncResponses.answer(task, workers, out -> {
            T body = encode.apply(out);
            String tag = format.name().toLowerCase(java.util.Locale.ROOT);
            metrics.record(out.family(), tag, out.samples().rows(), Duration.ofNanos(System.nanoTime() - start));
            ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(type)
                    .header("X-Seed", Long.toString(out.seed()))
                    .header("X-Model-Version", out.model() + "/" + out.version());
            if (format == Format.NPY) {
                ok.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"samples.npy\"");
            }
            return ok.body(body);
        });
    }

    private static List<float[]> rows(FloatMatrix m) {
        List<float[]> rows = new ArrayList<>(m.rows());
        for (int i = 0; i < m.rows(); i++) {
            rows.add(m.row(i));
        }
        return rows;
    }
}
