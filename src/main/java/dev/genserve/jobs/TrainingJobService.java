package dev.genserve.jobs;

import dev.genserve.api.ConflictException;
import dev.genserve.api.NotFoundException;
import dev.genserve.datasets.DatasetService;
import dev.genserve.registry.FamilyCatalog;
import dev.genserve.registry.ModelRegistry;
import java.util.UUID;
import org.jobrunr.scheduling.JobScheduler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts training jobs (validating the family config against the data up front, so mistakes are a 400 and not
 * a failed job), hands them to JobRunr, lists them and cancels them.
 */
@Service
public class TrainingJobService {

    /** A submission as the API receives it. */
    public record Submission(String model, String family, String dataset, JsonNode config, Double heldOutFraction,
            Long splitSeed, Integer checkpointEvery, String name, java.util.List<String> tags) {}

    /** Tags: letters, digits and {@code . _ : / = -}, at most 64 characters, at most 20 per job. */
    public static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/=-]{0,63}$");
    public static final int MAX_TAGS = 20;

    private final TrainingJobRepository jobs;
    private final DatasetService datasets;
    private final FamilyCatalog families;
    private final ModelRegistry registry;
    private final TrainingDataPreparer preparer;
    private final JobScheduler scheduler;
    private final JsonMapper json;
    private final int defaultCheckpointEvery;

    public TrainingJobService(TrainingJobRepository jobs, DatasetService datasets, FamilyCatalog families,
            ModelRegistry registry, TrainingDataPreparer preparer, JobScheduler scheduler, JsonMapper json,
            @Value("${genserve.jobs.checkpoint-every:500}") int defaultCheckpointEvery) {
        this.jobs = jobs;
        this.datasets = datasets;
        this.families = families;
        this.registry = registry;
        this.preparer = preparer;
        this.scheduler = scheduler;
        this.json = json;
        this.defaultCheckpointEvery = defaultCheckpointEvery;
    }

    @Transactional
    public TrainingJob submit(Submission submission) {
        families.get(submission.family());
        var dataset = datasets.resolve(submission.dataset());
        double heldOut = submission.heldOutFraction() == null ? 0.1 : submission.heldOutFraction();
        if (!(heldOut > 0 && heldOut <= 0.5)) {
            throw new IllegalArgumentException("heldOutFraction must be in (0, 0.5], got " + heldOut);
        }
        long splitSeed = submission.splitSeed() == null ? 0L : submission.splitSeed();
        int checkpointEvery = submission.checkpointEvery() == null ? defaultCheckpointEvery : submission.checkpointEvery();
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be ≥ 1, got " + checkpointEvery);
        }
        PreparedData data = preparer.prepare(dataset.id(), heldOut, splitSeed);
        FamilyCatalog.ResolvedConfig resolved = families.resolve(submission.family(), submission.config(), data.train());
        registry.ensureModel(submission.model(), submission.family());

        UUID id = UUID.randomUUID();
        TrainingJobSpec spec = new TrainingJobSpec(submission.model(), submission.family(), dataset.id(),
                dataset.name(), json.readTree(resolved.json()), heldOut, splitSeed, checkpointEvery);
        TrainingJob job = new TrainingJob(id, submission.model(), submission.family(), dataset.id(),
                json.writeValueAsString(spec), resolved.totalSteps());
        job.label(submission.name(), json.writeValueAsString(tags(submission.tags())));
        job = jobs.save(job);
        enqueueAfterCommit(id);
        return job;
    }

    /** JobRunr must not see the job before its row is committed, or a fast worker would find nothing. */
    private void enqueueAfterCommit(UUID id) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    scheduler.<TrainingJobRunner>enqueue(id, runner -> runner.run(id));
                }
            });
        } else {
            scheduler.<TrainingJobRunner>enqueue(id, runner -> runner.run(id));
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
            throw new IllegalArgumentException("at most " + MAX_TAGS + " tags, got " + tags.size());
        }
        for (String tag : tags) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("tag '" + tag + "' must be 1-64 characters of letters, digits and "
                        + "._:/=-, starting with a letter or digit");
            }
        }
        return tags.stream().distinct().toList();
    }

    /**
     * Cancels a job: a queued job is cancelled at once, a running one is flagged and stops within one step.
     * Cancelling a finished job is a conflict.
     */
    @Transactional
    public TrainingJob cancel(UUID id) {
        TrainingJob job = get(id);
        switch (job.getStatus()) {
            case QUEUED -> {
                job.requestCancel();
                job.finish(JobStatus.CANCELLED, null);
            }
            case RUNNING -> job.requestCancel();
            default -> throw new ConflictException("job " + id + " already ended as " + job.getStatus());
        }
        return job;
    }

    public TrainingJobSpec spec(TrainingJob job) {
        return json.readValue(job.getSpec(), TrainingJobSpec.class);
    }
}
