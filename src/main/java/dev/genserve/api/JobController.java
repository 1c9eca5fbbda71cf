package dev.genserve.api;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.jobs.JobStatus;
import dev.genserve.jobs.TrainingJob;
import dev.genserve.jobs.TrainingJobService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Submit, follow and cancel training jobs. */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "jobs")
@Validated
public class JobController {

    /** POST /jobs body. */
    public record SubmitJobRequest(
            @NotBlank @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
                    message = "must be 1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit")
            String model,
            @NotBlank String family,
            @NotBlank String dataset,
            JsonNode config,
            Double heldOutFraction,
            Long splitSeed,
            @Min(1) Integer checkpointEvery) {}

    /**
     * A job as the API shows it. {@code replica} runs (or last ran) it, under lease {@code attempt} (the fencing
     * token: how many times it was claimed) until {@code leaseExpiresAt}; a resumed run started at
     * {@code resumedFromStep}.
     */
    public record JobView(UUID id, String model, String family, UUID datasetId, String status, int step,
            int totalSteps, double progress, Double loss, Double emaLoss, Double stepsPerSecond, Double etaSeconds,
            JsonNode lossHistory, String error, int resumeCount, boolean cancelRequested, Integer modelVersion,
            JsonNode spec, Instant createdAt, Instant startedAt, Instant finishedAt, Instant updatedAt,
            String replica, long attempt, Instant leaseExpiresAt, Integer resumedFromStep) {}

    /** One page of jobs. */
    public record JobPage(List<JobView> items, int page, int size, long total) {}

    /** The request header that makes POST /jobs safe to retry. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TrainingJobService jobs;
    private final dev.genserve.registry.ModelRegistry registry;
    private final JsonMapper json;

    public JobController(TrainingJobService jobs, dev.genserve.registry.ModelRegistry registry, JsonMapper json) {
        this.jobs = jobs;
        this.registry = registry;
        this.json = json;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Submit a training job", description = "Validates the family config against the dataset, "
            + "then queues the job. 202 with Location of the job. With an Idempotency-Key header, a retry of the same "
            + "request returns the job the first one created (header Idempotent-Replayed: true); the same key with a "
            + "different request is a 422.")
    public ResponseEntity<JobView> submit(@Valid @RequestBody SubmitJobRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
        TrainingJobService.Submitted submitted = jobs.submit(new TrainingJobService.Submission(request.model(),
                request.family(), request.dataset(), request.config(), request.heldOutFraction(), request.splitSeed(),
                request.checkpointEvery()), idempotencyKey);
        TrainingJob job = submitted.job();
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.getId()));
        if (submitted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(view(job));
    }

    @GetMapping
    @Operation(summary = "List jobs, newest first, optionally by status and model")
    public JobPage list(@RequestParam(required = false) String status, @RequestParam(required = false) String model,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        JobStatus filter = null;
        if (status != null) {
            try {
                filter = JobStatus.valueOf(status.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("unknown status '" + status + "'; valid: "
                        + java.util.Arrays.toString(JobStatus.values()));
            }
        }
        if ((long) page * size > dev.genserve.datasets.DatasetService.MAX_OFFSET) {
            throw new InvalidInputException("page × size must be at most " + dev.genserve.datasets.DatasetService.MAX_OFFSET
                    + ", got page=" + page + ", size=" + size);
        }
        Page<TrainingJob> result = jobs.list(filter, model,
                PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return new JobPage(result.getContent().stream().map(this::view).toList(), page, size, result.getTotalElements());
    }

    @GetMapping("/{id}")
    @Operation(summary = "A job's status, progress, ETA, loss history and error")
    public JobView get(@PathVariable UUID id) {
        return view(jobs.get(id));
    }

    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a job", description = "A queued job is cancelled at once; a running job stops "
            + "within one training step. 409 if it already ended.")
    public ResponseEntity<JobView> cancel(@PathVariable UUID id) {
        return ResponseEntity.accepted().body(view(jobs.cancel(id)));
    }

    private JobView view(TrainingJob job) {
        Integer version = job.getModelVersionId() == null ? null
                : registry.findVersion(job.getModelVersionId()).map(v -> v.getVersion()).orElse(null);
        double progress = job.getTotalSteps() == 0 ? 0 : (double) job.getStep() / job.getTotalSteps();
        return new JobView(job.getId(), job.getModelName(), job.getFamily(), job.getDatasetId(),
                job.getStatus().name(), job.getStep(), job.getTotalSteps(), progress, job.getLoss(), job.getEmaLoss(),
                job.getStepsPerSecond(), job.getEtaSeconds(), json.readTree(job.getLossHistory()), job.getError(),
                job.getResumeCount(), job.isCancelRequested(), version, json.readTree(job.getSpec()),
                job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(), job.getUpdatedAt(), job.getLeaseOwner(),
                job.getLeaseToken(), job.getLeaseExpiresAt(), job.getResumedFromStep());
    }
}
