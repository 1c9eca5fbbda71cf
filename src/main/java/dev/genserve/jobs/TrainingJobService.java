package dev.genserve.jobs;

import dev.genserve.datasets.DatasetInfo;
import dev.genserve.datasets.DatasetService;
import dev.genserve.errors.ConflictException;
import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.NotFoundException;
import dev.genserve.errors.ServiceException;
import dev.genserve.registry.FamilyCatalog;
import dev.genserve.registry.ModelRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jobrunr.scheduling.JobScheduler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts training jobs, lists them and cancels them. A submission is validated against the data first (so mistakes
 * are a 400, not a failed job), without holding a database connection; then one short transaction creates the model
 * if needed, stores a built-in dataset if it was not stored yet, and inserts the job row, which the
 * {@link JobDispatcher} outbox hands to JobRunr. An {@code Idempotency-Key} makes a retried submission return the job
 * it created the first time.
 */
@Service
public class TrainingJobService {

    /** A submission as the API receives it. */
    public record Submission(String model, String family, String dataset, JsonNode config, Double heldOutFraction,
            Long splitSeed, Integer checkpointEvery, String name, java.util.List<String> tags) {}

    /** Tags: letters, digits and {@code . _ : / = -}, at most 64 characters, at most 20 per job. */
    public static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}$");
    public static final int MAX_TAGS = 20;

    /** The accepted job, and whether it was accepted by an earlier request with the same idempotency key. */
    public record Submitted(TrainingJob job, boolean replayed) {}

    /** Idempotency keys: 1–200 visible ASCII characters. */
    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,200}$");

    private final TrainingJobRepository jobs;
    private final DatasetService datasets;
    private final FamilyCatalog families;
    private final ModelRegistry registry;
    private final TrainingDataPreparer preparer;
    private final JobDispatcher dispatcher;
    private final JobScheduler scheduler;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final int defaultCheckpointEvery;

    public TrainingJobService(TrainingJobRepository jobs, DatasetService datasets, FamilyCatalog families,
            ModelRegistry registry, TrainingDataPreparer preparer, JobDispatcher dispatcher, JobScheduler scheduler,
            JdbcTemplate jdbc, TransactionTemplate tx, JsonMapper json,
            @Value("${genserve.jobs.checkpoint-every:500}") int defaultCheckpointEvery) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.families = families;
        this.registry = registry;
        this.preparer = preparer;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.defaultCheckpointEvery = defaultCheckpointEvery;
    }

    public Submitted submit(Submission submission, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new InvalidInputException("Idempotency-Key must be 1-200 visible ASCII characters");
        }
        String fingerprint = DatasetService.sha256(json.writeValueAsBytes(submission));
        if (idempotencyKey != null) {
            Optional<Submitted> earlier = replay(idempotencyKey, fingerprint);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        families.get(submission.family());
        DatasetService.Resolved dataset = datasets.resolve(submission.dataset());
        double heldOut = submission.heldOutFraction() == null ? 0.1 : submission.heldOutFraction();
        if (!(heldOut > 0 && heldOut <= 0.5)) {
            throw new InvalidInputException("heldOutFraction must be in (0, 0.5], got " + heldOut);
        }
        long splitSeed = submission.splitSeed() == null ? 0L : submission.splitSeed();
        int checkpointEvery = submission.checkpointEvery() == null ? defaultCheckpointEvery : submission.checkpointEvery();
        if (checkpointEvery < 1) {
            throw new InvalidInputException("checkpointEvery must be ≥ 1, got " + checkpointEvery);
        }
        PreparedData data = preparer.prepare(datasets.load(dataset), heldOut, splitSeed);
        FamilyCatalog.ResolvedConfig resolved = families.resolve(submission.family(), submission.config(), data.train());
        String tagsJson = json.writeValueAsString(tags(submission.tags()));
        try {
            TrainingJob job = tx.execute(status -> {
                registry.ensureModel(submission.model(), submission.family());
                DatasetInfo stored = datasets.store(dataset);
                UUID id = UUID.randomUUID();
                TrainingJobSpec spec = new TrainingJobSpec(submission.model(), submission.family(), stored.id(),
                        stored.name(), json.readTree(resolved.json()), heldOut, splitSeed, checkpointEvery);
                TrainingJob created = new TrainingJob(id, submission.model(), submission.family(), stored.id(),
                        json.writeValueAsString(spec), resolved.totalSteps(), idempotencyKey, fingerprint);
                created.label(submission.name(), tagsJson);
                return jobs.saveAndFlush(created);
            });
            dispatcher.kick();
            return new Submitted(job, false);
        } catch (DataIntegrityViolationException e) {
            if (idempotencyKey != null) {
                Optional<Submitted> raced = replay(idempotencyKey, fingerprint);
                if (raced.isPresent()) {
                    return raced.get(); // a concurrent request with the same key won
                }
            }
            throw e;
        }
    }

    /** The job an earlier request with this key created; 422 when that request was a different one. */
    private Optional<Submitted> replay(String key, String fingerprint) {
        return jobs.findByIdempotencyKey(key).map(job -> {
            if (!fingerprint.equals(job.getRequestSha256())) {
                throw new IdempotencyKeyReusedException(key, job.getId());
            }
            return new Submitted(job, true);
        });
    }

    /** The same Idempotency-Key came with a different request: 422. */
    static final class IdempotencyKeyReusedException extends ServiceException {

        private final UUID job;

        IdempotencyKeyReusedException(String key, UUID job) {
            super("Idempotency-Key '" + key + "' was already used for a different request (job " + job
                    + "); use a new key for a new request");
            this.job = job;
        }

        @Override
        public int status() {
            return 422;
        }

        @Override
        public Map<String, Object> properties() {
            return Map.of("reason", "idempotency-key-reused", "job", job.toString());
        }
    }

    public TrainingJob get(UUID id) {
        return jobs.findById(id).orElseThrow(() -> NotFoundException.of("training job", id));
    }

    /** Jobs newest first; {@code name} matches case-insensitively as a substring, every tag must be present. */
    public Page<TrainingJob> list(JobStatus status, String model, String name, java.util.List<String> tags,
            Pageable pageable) {
        String pattern = name == null || name.isBlank() ? null
                : "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return jobs.search(status == null ? null : status.name(), model, pattern,
                json.writeValueAsString(tags == null ? java.util.List.of() : tags), pageable);
    }

    private static java.util.List<String> tags(java.util.List<String> tags) {
        if (tags == null) {
            return java.util.List.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidInputException("at most " + MAX_TAGS + " tags, got " + tags.size());
        }
        for (String tag : tags) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw new InvalidInputException("tag '" + tag + "' must be 1-64 characters of letters, digits and "
                        + "._:/=-, starting with a letter or digit");
            }
        }
        return tags.stream().distinct().toList();
    }

    /**
     * Cancels a job: a queued job is cancelled at once (and deleted in JobRunr), a running one is flagged and stops
     * within one step. Cancelling a finished job is a conflict. One conditional update, so it never races with the
     * runner's writes.
     */
    public TrainingJob cancel(UUID id) {
        int changed = jdbc.update("update training_job set cancel_requested = true,"
                + " status = case when status = 'QUEUED' then 'CANCELLED' else status end,"
                + " finished_at = case when status = 'QUEUED' then now() else finished_at end, updated_at = now()"
                + " where id = ? and status in ('QUEUED', 'RUNNING')", id);
        TrainingJob job = get(id);
        if (changed == 0) {
            throw new ConflictException("job " + id + " already ended as " + job.getStatus());
        }
        if (job.getStatus() == JobStatus.CANCELLED && job.getDispatchedAt() != null) {
            try {
                scheduler.delete(job.getJobrunrJobId(), "cancelled before it started");
            } catch (RuntimeException ignored) {
                // JobRunr has no such job any more; if it runs one, the runner sees CANCELLED and deletes it
            }
        }
        return job;
    }

    public TrainingJobSpec spec(TrainingJob job) {
        return json.readValue(job.getSpec(), TrainingJobSpec.class);
    }
}
