package dev.genserve.jobs;

import ai.djl.Device;
import dev.genserve.config.CodeVersion;
import dev.genserve.errors.InvalidInputException;
import dev.genserve.generative.Generator;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.TrainingDivergedException;
import dev.genserve.registry.ArtifactStore;
import dev.genserve.registry.FamilyCatalog;
import dev.genserve.registry.ModelRegistry;
import dev.genserve.registry.ModelVersion;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import org.jobrunr.JobRunrException;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.runner.ThreadLocalJobContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one training job inside JobRunr, under a lease ({@link JobLeases}): it claims the job (waiting out a live lease
 * of another replica), trains with progress and checkpoints fenced by the lease, and publishes the version in one
 * transaction that holds the job's row lock and checks the lease once more. A replica that was stalled and lost the
 * job stops without writing anything: it neither fails, nor duplicates, nor deletes the other's checkpoints.
 *
 * <p>JobRunr ends in the state genserve ends in: SUCCEEDED returns normally; FAILED throws a do-not-retry
 * {@link JobRunrException} (FAILED in JobRunr, no retries); CANCELLED deletes the JobRunr job (JobRunr's DELETED).
 * An interrupted run (JobRunr stopping or restarting its server) lets its lease lapse at once and throws, so that
 * JobRunr (or another replica) runs it again from the checkpoint.
 */
@Component
public class TrainingJobRunner {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobRunner.class);

    private final TrainingJobRepository jobs;
    private final TrainingJobService service;
    private final TrainingDataPreparer preparer;
    private final FamilyCatalog families;
    private final ModelRegistry registry;
    private final ArtifactStore artifacts;
    private final QualityEvaluator quality;
    private final CodeVersion codeVersion;
    private final Device device;
    private final JobLeases leases;
    private final LeaseKeeper keeper;
    private final ReplicaIdentity replica;
    private final JobScheduler scheduler;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final long progressIntervalMillis;
    private final TrainingMetrics metrics;

    public TrainingJobRunner(TrainingJobRepository jobs, TrainingJobService service, TrainingDataPreparer preparer,
            FamilyCatalog families, ModelRegistry registry, ArtifactStore artifacts, QualityEvaluator quality,
            CodeVersion codeVersion, Device device, JobLeases leases, LeaseKeeper keeper, ReplicaIdentity replica,
            JobScheduler scheduler, TransactionTemplate tx, JsonMapper json,
            @Value("${genserve.jobs.progress-interval-ms:1000}") long progressIntervalMillis, TrainingMetrics metrics) {
        this.jobs = jobs;
        this.service = service;
        this.preparer = preparer;
        this.families = families;
        this.registry = registry;
        this.artifacts = artifacts;
        this.quality = quality;
        this.codeVersion = codeVersion;
        this.device = device;
        this.leases = leases;
        this.keeper = keeper;
        this.replica = replica;
        this.scheduler = scheduler;
        this.tx = tx;
        this.json = json;
        this.progressIntervalMillis = progressIntervalMillis;
        this.metrics = metrics;
    }

    @Job(name = "train %0", retries = 2)
    public void run(UUID jobId) {
        try (MDCJob mdc = new MDCJob(jobId)) {
            JobLeases.Claim claim = acquire(jobId);
            switch (claim.outcome()) {
                case GONE -> log.warn("Training job {} does not exist (deleted?); nothing to run", jobId);
                case ENDED -> mirror(jobId, claim.status());
                case HELD -> log.warn("Training job {} is being trained by replica {}; this duplicate run stops", jobId,
                        claim.holder());
                case RUN -> runLeased(claim);
            }
        }
    }

    /** Claims the job; while another replica holds a live lease, waits (up to three lease durations) for it to lapse. */
    private JobLeases.Claim acquire(UUID jobId) {
        long deadline = System.nanoTime() + 3 * leases.duration().toNanos();
        while (true) {
            JobLeases.Claim claim;
            try {
                claim = leases.claim(jobId, replica.id());
            } catch (DataAccessException e) {
                // the row is locked (a replica is publishing it): look again shortly
                claim = new JobLeases.Claim(JobLeases.Outcome.HELD, null, false, null, "a replica publishing it");
            }
            if (claim.outcome() != JobLeases.Outcome.HELD || System.nanoTime() > deadline) {
                return claim;
            }
            try {
                Thread.sleep(Math.min(1000, Math.max(50, leases.duration().toMillis() / 10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the lease of job " + jobId, e);
            }
        }
    }

    private void runLeased(JobLeases.Claim claim) {
        JobLease lease = claim.lease();
        UUID jobId = lease.jobId();
        TrainingJob job = jobs.findById(jobId).orElseThrow();
        TrainingJobSpec spec = service.spec(job);
        TrainingMetrics.Run metered = metrics.start(spec.family());
        try (LeaseKeeper.Held held = keeper.hold(lease)) {
            log.info("Training job {} ({} on dataset {}) {} on replica {} (attempt {})", jobId, spec.family(),
                    spec.datasetName(), claim.resumed() ? "resumes after its previous run stopped (resume #"
                            + job.getResumeCount() + ")" : "starts", lease.owner(), lease.token());
            JobProgressWriter progress = null;
            try {
                progress = new JobProgressWriter(leases, held, json, progressIntervalMillis, spec.checkpointEvery(),
                        new AttemptCheckpointStore(artifacts, leases, held), device, history(job), metered);
                execute(job, spec, held, progress);
                metered.end("succeeded");
            } catch (Throwable t) {
                handle(held, progress, t, metered);
            }
        }
    }

    private void execute(TrainingJob job, TrainingJobSpec spec, LeaseKeeper.Held held, JobProgressWriter progress)
            throws IOException {
        UUID jobId = job.getId();
        PreparedData data = preparer.prepare(spec.datasetId(), spec.heldOutFraction(), spec.splitSeed());
        FamilyCatalog.ResolvedConfig config = families.stored(spec.family(), json.writeValueAsString(spec.config()));
        GeneratorFamily<Object> family = config.family();
        long started = System.nanoTime();
        try (Generator generator = family.train(data.train(), config.config(), progress)) {
            progress.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> metrics = quality.evaluate(generator, data, config.seed());
            if (held.lost()) {
                throw new LeaseLostException(held.lease());
            }
            publish(held.lease(), spec, config, data, generator, metrics, seconds);
        }
        artifacts.deleteJobDirectory(jobId);
        log.info("Training job {} succeeded", jobId);
    }

    /**
     * Writes the weights under a temporary name, then, in one transaction holding the job's row lock: checks the lease,
     * numbers the version under the model's row lock, places the directory, inserts the version and marks the job
     * SUCCEEDED. If that transaction does not commit, the placed directory is removed again.
     */
    private void publish(JobLease lease, TrainingJobSpec spec, FamilyCatalog.ResolvedConfig config, PreparedData data,
            Generator generator, Map<String, Object> metrics, double seconds) throws IOException {
        Map<String, Object> normalization = new LinkedHashMap<>();
        normalization.put("mean", data.standardizer().mean());
        normalization.put("std", data.standardizer().std());
        int[] shape = data.train().imageShape() != null ? data.train().imageShape() : new int[] {data.train().dimension()};
        try (ArtifactStore.Staged staged = artifacts.stage(spec.model(), generator::save)) {
            UUID versionId = UUID.randomUUID();
            String[] placed = {null};
            try {
                tx.executeWithoutResult(status -> {
                    if (!leases.lockForPublish(lease)) {
                        throw new LeaseLostException(lease);
                    }
                    if (registry.versionOfJob(lease.jobId()).isPresent()) {
                        leases.succeed(lease, registry.versionOfJob(lease.jobId()).get().getId());
                        return;
                    }
                    int number = registry.lockNextVersion(spec.model());
                    var model = registry.model(spec.model());
                    Map<String, Object> manifest = new LinkedHashMap<>();
                    manifest.put("model", spec.model());
                    manifest.put("version", number);
                    manifest.put("family", spec.family());
                    manifest.put("config", spec.config());
                    manifest.put("seed", config.seed());
                    manifest.put("normalization", normalization);
                    manifest.put("dataShape", shape);
                    manifest.put("datasetId", spec.datasetId().toString());
                    manifest.put("jobId", lease.jobId().toString());
                    manifest.put("codeVersion", codeVersion.value());
                    try {
                        ArtifactStore.StoredArtifact artifact = staged.place(number,
                                dir -> Files.writeString(dir.resolve("manifest.json"), json.writeValueAsString(manifest)));
                        placed[0] = artifact.relativePath();
                        registry.saveAndFlush(new ModelVersion(versionId, model.getId(), number, spec.family(), config.json(),
                                config.seed(), json.writeValueAsString(normalization), json.writeValueAsString(shape),
                                spec.datasetId(), lease.jobId(), codeVersion.value(), seconds, artifact.relativePath(),
                                artifact.sha256(), json.writeValueAsString(metrics)));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("cannot write the model artifact", e);
                    }
                    leases.succeed(lease, versionId);
                });
            } catch (RuntimeException e) {
                if (placed[0] != null && committedNot(versionId)) {
                    artifacts.discard(placed[0]);
                }
                throw e;
            }
        }
    }

    /** True when the version row is certainly absent (a failed commit may still have committed). */
    private boolean committedNot(UUID versionId) {
        try {
            return registry.findVersion(versionId).isEmpty();
        } catch (RuntimeException e) {
            return false; // cannot tell: leave the files, the janitor decides under the model's lock
        }
    }

    /**
     * Ends the run after an exception, according to why it stopped, and records the run's outcome in the training
     * metrics: {@code lease_lost}, {@code interrupted}, {@code cancelled} or {@code failed}.
     */
    private void handle(LeaseKeeper.Held held, JobProgressWriter progress, Throwable t, TrainingMetrics.Run metered) {
        JobLease lease = held.lease();
        JobProgressWriter.StopReason reason = progress == null ? JobProgressWriter.StopReason.NONE : progress.stopReason();
        if (held.lost() || reason == JobProgressWriter.StopReason.LEASE_LOST || causedBy(t, LeaseLostException.class)) {
            log.warn("Training job {}: replica {} lost its lease (attempt {}) to another replica; stopping without "
                    + "touching the job", lease.jobId(), lease.owner(), lease.token());
            metered.end("lease_lost");
            return;
        }
        if (reason == JobProgressWriter.StopReason.INTERRUPTED || interrupted(t)) {
            metered.end("interrupted");
            boolean flag = Thread.interrupted();
            try {
                leases.release(lease);
            } finally {
                if (flag) {
                    Thread.currentThread().interrupt();
                }
            }
            log.info("Training job {} was interrupted on replica {}; it will resume from its last checkpoint",
                    lease.jobId(), lease.owner());
            throw new IllegalStateException("training of job " + lease.jobId() + " was interrupted; it resumes from its checkpoint");
        }
        if (t instanceof TrainingCancelledException) {
            metered.end("cancelled");
            if (leases.end(lease, JobStatus.CANCELLED, null)) {
                artifacts.deleteJobDirectory(lease.jobId());
                log.info("Training job {} cancelled", lease.jobId());
                deleteInJobRunr(lease.jobId());
            }
            return;
        }
        String message;
        if (t instanceof TrainingDivergedException || t instanceof InvalidInputException || t instanceof IllegalArgumentException) {
            message = t.getMessage();
            log.warn("Training job {} failed: {}", lease.jobId(), message);
        } else {
            message = t.getClass().getSimpleName() + ": " + t.getMessage();
            log.error("Training job {} failed", lease.jobId(), t);
        }
        metered.end("failed");
        if (leases.end(lease, JobStatus.FAILED, message == null ? "unknown error" : message)) {
            artifacts.deleteJobDirectory(lease.jobId());
            throw new JobRunrException("training failed: " + message, true);
        }
        log.warn("Training job {}: the failure on replica {} is not recorded, the lease was lost", lease.jobId(), lease.owner());
    }

    /** Makes JobRunr's state agree with a job that had ended before this run started. */
    private void mirror(UUID jobId, String status) {
        switch (JobStatus.valueOf(status)) {
            case FAILED -> throw new JobRunrException("training job " + jobId + " had failed", true);
            case CANCELLED -> deleteInJobRunr(jobId);
            default -> { }
        }
    }

    /** A cancelled job is DELETED in JobRunr, its name for a job that was called off. */
    private void deleteInJobRunr(UUID jobId) {
        if (!ThreadLocalJobContext.hasJobContext()) {
            return;
        }
        try {
            scheduler.delete(ThreadLocalJobContext.getJobContext().getJobId(), "cancelled in genserve (training job " + jobId + ")");
        } catch (RuntimeException e) {
            log.warn("Could not mark cancelled job {} as deleted in JobRunr: {}", jobId, e.toString());
        }
    }

    private static boolean interrupted(Throwable t) {
        return Thread.currentThread().isInterrupted() || causedBy(t, InterruptedException.class)
                || causedBy(t, ClosedByInterruptException.class) || causedBy(t, InterruptedIOException.class)
                || causedBy(t, CancellationException.class);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private List<double[]> history(TrainingJob job) {
        List<double[]> points = new ArrayList<>();
        JsonNode node = json.readTree(job.getLossHistory());
        for (JsonNode point : node) {
            double[] p = new double[point.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = point.get(i).asDouble();
            }
            points.add(p);
        }
        return points;
    }

    /** Puts the job id in the logging context for the duration of a run. */
    private record MDCJob(UUID jobId) implements AutoCloseable {
        MDCJob {
            org.slf4j.MDC.put("jobId", jobId.toString());
        }

        @Override
        public void close() {
            org.slf4j.MDC.remove("jobId");
        }
    }
}
