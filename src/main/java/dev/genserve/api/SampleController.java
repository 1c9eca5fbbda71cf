package dev.genserve.api;

import dev.genserve.processes.SnapshotStripEncoder;
import dev.genserve.sampling.CsvEncoder;
import dev.genserve.sampling.NpyEncoder;
import dev.genserve.sampling.PngEncoder;
import dev.genserve.sampling.SampleOutput;
import dev.genserve.sampling.SampleRequest;
import dev.genserve.sampling.SamplingService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Samples from a model version. The format follows {@code Accept}: JSON (default), CSV, NPY (float32, shaped
 * like the data) or PNG (an image grid, or a scatter plot for 2-D data). The seed used is echoed in the body and
 * in the {@code X-Seed} header, so any response can be reproduced byte for byte.
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

    public SampleController(SamplingService sampling) {
        this.sampling = sampling;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Draw samples", description = "Body {n, seed, sampler, steps, guidance, class, trajectory}."
            + " Options that do not fit the model's family are rejected with 400 naming the valid ones.")
    public ResponseEntity<SamplesView> json(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        SampleOutput out = sampling.sample(name, reference, orEmpty(request));
        List<SnapshotView> trajectory = new ArrayList<>();
        for (var snapshot : out.trajectory()) {
            trajectory.add(new SnapshotView(snapshot.t(), rows(snapshot.points())));
        }
        return headers(out).body(new SamplesView(out.model(), out.version(), out.seed(), out.samples().rows(),
                out.sampleShape(), out.functionEvaluations(), out.millis(), rows(out.samples()), trajectory));
    }

    @PostMapping(produces = "text/csv")
    public ResponseEntity<String> csv(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        SampleOutput out = sampling.sample(name, reference, orEmpty(request));
        return headers(out).contentType(MediaType.parseMediaType("text/csv")).body(CsvEncoder.encode(out.samples()));
    }

    @PostMapping(produces = NPY)
    public ResponseEntity<byte[]> npy(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) {
        SampleOutput out = sampling.sample(name, reference, orEmpty(request));
        int[] shape = new int[out.sampleShape().length + 1];
        shape[0] = out.samples().rows();
        System.arraycopy(out.sampleShape(), 0, shape, 1, out.sampleShape().length);
        return headers(out).contentType(MediaType.parseMediaType(NPY))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"samples.npy\"")
                .body(NpyEncoder.encode(out.samples().data(), shape));
    }

    @PostMapping(produces = MediaType.IMAGE_PNG_VALUE)
    public ResponseEntity<byte[]> png(@PathVariable String name, @PathVariable String reference,
            @RequestBody(required = false) SampleRequest request) throws HttpMediaTypeNotAcceptableException {
        SampleOutput out = sampling.sample(name, reference, orEmpty(request));
        if (!out.trajectory().isEmpty() && out.sampleShape().length == 1
                && SnapshotStripEncoder.supports(out.samples().cols())) {
            // a trajectory request on vector data draws the reverse process as a strip of its snapshots (data units)
            return headers(out).contentType(MediaType.IMAGE_PNG).body(SnapshotStripEncoder.encode(out.trajectory(),
                    out.model() + " v" + out.version() + " reverse trajectory, n = " + out.samples().rows()));
        }
        if (!PngEncoder.supports(out.sampleShape())) {
            throw new IllegalArgumentException("image/png needs image samples (1 or 3 channels) or 2-D samples; this "
                    + "model's samples have shape " + java.util.Arrays.toString(out.sampleShape())
                    + ": ask for application/json, text/csv or application/x-npy");
        }
        return headers(out).contentType(MediaType.IMAGE_PNG).body(PngEncoder.encode(out.samples(), out.sampleShape()));
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
