package dev.genserve.api;

import dev.genserve.api.openapi.FamilyConfigSchemas;
import dev.genserve.jobs.JobStatus;
import dev.genserve.jobs.TrainingJob;
import dev.genserve.jobs.TrainingJobService;
import dev.genserve.jobs.TrainingJobSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Submit, follow and cancel training jobs. */
@RestController
@RequestMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "jobs")
@Validated
public class JobController {

    static final String MODEL_NAME = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$";

    /** POST /jobs body. */
    @Schema(description = "A training job: which model gets the new version, trained on which data, with which "
            + "family config")
    public record SubmitJobRequest(
            @Schema(description = "The model that gets the new version (created on first use)",
                    example = "moons-vp", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Pattern(regexp = MODEL_NAME,
                    message = "must be 1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit")
            String model,
            @Schema(description = "Deprecated: the family, now given as config.family (if both are given they must "
                    + "agree)", deprecated = true, example = "diffusion")
            String family,
            @Schema(description = "The dataset: its id, its name, or builtin:<name>", example = "moons",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank String dataset,
            @Schema(ref = FamilyConfigSchemas.FAMILY_CONFIG_REF, requiredMode = Schema.RequiredMode.REQUIRED)
            Map<String, Object> config,
            @Schema(description = "A human name for the job (searchable with ?name=)", example = "moons, long run",
                    maxLength = 200)
            @Size(max = 200) String name,
            @Schema(description = "Tags (searchable with ?tag=): 1-64 characters of letters, digits and ._:/=-",
                    example = "[\"experiment:7\", \"nightly\"]")
            @Size(max = TrainingJobService.MAX_TAGS) List<String> tags,
            @Schema(description = "Fraction of rows held out for the quality metrics", minimum = "0",
                    exclusiveMinimum = true, maximum = "0.5", defaultValue = "0.1")
            Double heldOutFraction,
            @Schema(description = "Seed of the train/held-out split", defaultValue = "0") Long splitSeed,
            @Schema(description = "Steps between checkpoints (default genserve.jobs.checkpoint-every)", minimum = "1")
            @Min(1) Integer checkpointEvery) {}

    /** One point of a job's loss history. */
    @Schema(description = "One point of the loss history")
    public record LossPoint(int step, Double loss, Double emaLoss) {}

    /**
     * A job as the API shows it. {@code replica} runs (or last ran) it, under lease {@code attempt} (the fencing
     * token: how many times it was claimed) until {@code leaseExpiresAt}; a resumed run started at
     * {@code resumedFromStep}.
     */
    @Schema(description = "A training job: what it trains, its state, its progress and which replica runs it")
    public record JobView(
            UUID id,
            @Schema(nullable = true) String name,
            List<String> tags,
            String model,
            @Schema(example = "diffusion") String family,
            UUID datasetId,
            String datasetName,
            @Schema(description = "QUEUED → RUNNING → SUCCEEDED / FAILED / CANCELLED") JobStatus status,
            int step,
            int totalSteps,
            @Schema(description = "step / totalSteps, in [0, 1]") double progress,
            @Schema(nullable = true) Double loss,
            @Schema(nullable = true, description = "Moving average of the loss") Double emaLoss,
            @Schema(nullable = true) Double stepsPerSecond,
            @Schema(nullable = true) Double etaSeconds,
            @Schema(description = "Down-sampled loss history (at most 400 points)") List<LossPoint> lossHistory,
            @Schema(nullable = true, description = "Why the job failed") String error,
            @Schema(description = "Times the job resumed from a checkpoint after its worker died") int resumeCount,
            boolean cancelRequested,
            @Schema(nullable = true, description = "The version this job created, once it succeeded")
            Integer modelVersion,
            @Schema(ref = FamilyConfigSchemas.FAMILY_CONFIG_REF) Map<String, Object> config,
            double heldOutFraction,
            long splitSeed,
            int checkpointEvery,
            Instant createdAt,
            @Schema(nullable = true) Instant startedAt,
            @Schema(nullable = true) Instant finishedAt,
            Instant updatedAt,
            @Schema(nullable = true, description = "The replica that runs (or last ran) the job; null until claimed",
                    example = "genserve-7c9f-1") String replica,
            @Schema(description = "The lease's fencing token: how many times the job was claimed (0 = never)")
            long attempt,
            @Schema(nullable = true, description = "Until when the replica's lease holds unless renewed")
            Instant leaseExpiresAt,
            @Schema(nullable = true, description = "The step the current run resumed from (null when it started "
                    + "fresh)") Integer resumedFromStep) {}

    /** The request header that makes POST /jobs safe to retry. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The response header that says a retried POST /jobs returned the job of an earlier request. */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final TrainingJobService jobs;
    private final dev.genserve.registry.ModelRegistry registry;
    private final JobEventStreams events;
    private final JsonMapper json;

    public JobController(TrainingJobService jobs, dev.genserve.registry.ModelRegistry registry, JobEventStreams events,
            JsonMapper json) {
        this.jobs = jobs;
        this.registry = registry;
        this.events = events;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "submitJob", summary = "Submit a training job",
            description = "Validates the family config against the dataset (unknown keys, out-of-range values and "
                    + "options of another family are a 400 naming the field), then queues the job. With an "
                    + "Idempotency-Key header, a retry of the same request returns the job the first one created "
                    + "(header Idempotent-Replayed: true); the same key with a different request is a 422.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    examples = @ExampleObject(name = "diffusion", value = """
                            {"model": "moons-vp", "dataset": "moons", "name": "moons, VP",
                             "tags": ["nightly"], "config": {"family": "diffusion", "steps": 2000, "sde": {"type": "vp"}}}"""))))
    @ApiResponse(responseCode = "202", description = "Queued (or, for a replayed Idempotency-Key, queued earlier); "
            + "Location is the job", headers = {
                    @Header(name = "Location", description = "The job's URL", schema = @Schema(type = "string")),
                    @Header(name = IDEMPOTENT_REPLAYED, description = "true when an earlier request with the same "
                            + "Idempotency-Key created this job (absent otherwise)",
                            schema = @Schema(type = "string", allowableValues = "true"))})
    @ApiResponse(responseCode = "409", description = "The model exists with another family")
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was already used for a different request")
    public ResponseEntity<JobView> submit(@Valid @RequestBody SubmitJobRequest request,
            @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY, description = "Makes the submission safe to "
                    + "retry: 1-200 visible ASCII characters, unique per request (a UUID, say)",
                    schema = @Schema(type = "string", minLength = 1, maxLength = 200, pattern = "^[\\x21-\\x7E]+$",
                            example = "3f0c2a9e-5b1d-4e8f-9a47-1c2d3e4f5a6b"))
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        String family = FamilyConfigJson.family(request.config(), request.family());
        TrainingJobService.Submitted submitted = jobs.submit(new TrainingJobService.Submission(request.model(),
                family, request.dataset(), FamilyConfigJson.untagged(json, request.config()),
                request.heldOutFraction(), request.splitSeed(), request.checkpointEvery(), request.name(),
                request.tags()), idempotencyKey);
        TrainingJob job = submitted.job();
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.getId()));
        if (submitted.replayed()) {
            response.header(IDEMPOTENT_REPLAYED, "true");
        }
        return response.body(view(job));
    }

    @GetMapping
    @Operation(operationId = "listJobs", summary = "List jobs, newest first",
            description = "Filters: status, model, name (case-insensitive substring), tag (repeatable: every tag "
                    + "must be present).")
    public ResponseEntity<Paged<JobView>> list(
            @Parameter(description = "Only jobs in this state") @RequestParam(required = false) JobStatus status,
            @Parameter(description = "Only jobs of this model") @RequestParam(required = false) String model,
            @Parameter(description = "Only jobs whose name contains this (case-insensitive)")
            @RequestParam(required = false) String name,
            @Parameter(description = "Only jobs with every one of these tags") @RequestParam(required = false)
            List<String> tag,
            @Parameter(description = "Zero-based page") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1 to 200") @RequestParam(defaultValue = Paging.DEFAULT_SIZE) int size) {
        return Paging.response(jobs.list(status, model, name, tag, Paging.request(page, size)), this::view);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getJob", summary = "A job's state, progress, ETA, loss history and error")
    public JobView get(@PathVariable UUID id) {
        return view(jobs.get(id));
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "streamJobEvents", summary = "Follow a job as server-sent events",
            description = "A `progress` event (data: the job as JSON, id: its step) now and whenever the job "
                    + "changes, then an `end` event (data: the final status) when it is over, and the stream "
                    + "closes. Comment lines keep an idle stream open. Reconnect with Last-Event-ID or just again.")
    @ApiResponse(responseCode = "200", description = "The event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string",
                    example = "event:progress\nid:120\ndata:{\"id\":\"…\",\"status\":\"RUNNING\",\"step\":120}\n\n")))
    @ApiResponse(responseCode = "503", description = "Too many open streams; poll getJob instead",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before opening a stream again",
                    schema = @Schema(type = "integer")))
    public SseEmitter events(@PathVariable UUID id) {
        return events.open(jobs.get(id), this::view);
    }

    @PostMapping("/{id}/cancel")
    @Operation(operationId = "cancelJob", summary = "Cancel a job",
            description = "A queued job is cancelled at once; a running job stops within one training step.")
    @ApiResponse(responseCode = "202", description = "Cancelled, or cancelling")
    @ApiResponse(responseCode = "409", description = "The job already ended")
    public ResponseEntity<JobView> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(view(jobs.cancel(id)));
    }

    JobView view(TrainingJob job) {
        Integer version = job.getModelVersionId() == null ? null
                : registry.findVersion(job.getModelVersionId()).map(v -> v.getVersion()).orElse(null);
        double progress = job.getTotalSteps() == 0 ? 0 : (double) job.getStep() / job.getTotalSteps();
        TrainingJobSpec spec = jobs.spec(job);
        List<String> tags = new ArrayList<>();
        json.readTree(job.getTags()).forEach(t -> tags.add(t.asString()));
        return new JobView(job.getId(), job.getName(), tags, job.getModelName(), job.getFamily(), job.getDatasetId(),
                spec.datasetName(), job.getStatus(), job.getStep(), job.getTotalSteps(), progress, job.getLoss(),
                job.getEmaLoss(), job.getStepsPerSecond(), job.getEtaSeconds(), lossHistory(job.getLossHistory()),
                job.getError(), job.getResumeCount(), job.isCancelRequested(), version,
                FamilyConfigJson.tagged(json, job.getFamily(), json.writeValueAsString(spec.config())),
                spec.heldOutFraction(), spec.splitSeed(), spec.checkpointEvery(), job.getCreatedAt(),
                job.getStartedAt(), job.getFinishedAt(), job.getUpdatedAt(), job.getLeaseOwner(), job.getLeaseToken(),
                job.getLeaseExpiresAt(), job.getResumedFromStep());
    }

    private List<LossPoint> lossHistory(String stored) {
        List<LossPoint> points = new ArrayList<>();
        for (JsonNode p : json.readTree(stored)) {
            points.add(new LossPoint(p.get(0).asInt(), number(p.get(1)), number(p.get(2))));
        }
        return points;
    }

    private static Double number(JsonNode node) {
        return node == null || !node.isNumber() ? null : node.asDouble();
    }
}
