package dev.genserve.jobs;

import ai.djl.Device;
import dev.genserve.config.CodeVersion;
import dev.genserve.generative.Generator;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.TrainingDivergedException;
import dev.genserve.registry.ArtifactStore;
import dev.genserve.registry.FamilyCatalog;
import dev.genserve.registry.ModelRegistry;
import dev.genserve.registry.ModelVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.jobs.annotations.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one training job inside JobRunr. It is idempotent: a job that already ended is left alone, and a job found
 * RUNNING (its previous worker died) resumes from its last checkpoint. Ordinary failures end the job as FAILED
 * without JobRunr retries; only a dead process leads to a re-run, through JobRunr's orphan detection.
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
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final long progressIntervalMillis;
    private final TrainingMetrics metrics;

    public TrainingJobRunner(TrainingJobRepository jobs, TrainingJobService service, TrainingDataPreparer preparer,
            FamilyCatalog families, ModelRegistry registry, ArtifactStore artifacts, QualityEvaluator quality,
            CodeVersion codeVersion, Device device, JdbcTemplate jdbc, TransactionTemplate tx, JsonMapper json,
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
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.progressIntervalMillis = progressIntervalMillis;
        this.metrics = metrics;
    }

    @Job(name = "train %0", retries = 2)
    public void run(UUID jobId) {
        TrainingJob job = tx.execute(status -> claim(jobId));
        if (job == null) {
            return;
        }
        TrainingJobSpec spec = service.spec(job);
        MDCJob mdc = new MDCJob(jobId);
        TrainingMetrics.Run metered = metrics.start(spec.family());
        try (mdc) {
            log.info("Training job {} ({} on dataset {}) {}", jobId, spec.family(), spec.datasetName(),
                    job.getResumeCount() > 0 ? "resumes after a restart (resume #" + job.getResumeCount() + ")" : "starts");
            execute(job, spec, metered);
            metered.end("succeeded");
        } catch (TrainingCancelledException e) {
            end(jobId, JobStatus.CANCELLED, null);
            metered.end("cancelled");
            log.info("Training job {} cancelled", jobId);
        } catch (TrainingDivergedException | IllegalArgumentException e) {
            end(jobId, JobStatus.FAILED, e.getMessage());
            metered.end("failed");
            log.warn("Training job {} failed: {}", jobId, e.getMessage());
        } catch (RuntimeException | java.io.IOException e) {
            end(jobId, JobStatus.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
            metered.end("failed");
            log.error("Training job {} failed", jobId, e);
        }
    }

    /** Moves the job to RUNNING; returns null when there is nothing to run. */
    private TrainingJob claim(UUID jobId) {
        TrainingJob job = jobs.findById(jobId).orElse(null);
        if (job == null || job.getStatus().isTerminal()) {
            return null;
        }
        if (job.isCancelRequested()) {
            job.finish(JobStatus.CANCELLED, null);
            return null;
        }
        job.markRunning(job.getStatus() == JobStatus.RUNNING);
        job.setCheckpointPath(artifacts.root().relativize(artifacts.jobDirectory(jobId)).toString());
        return job;
    }

    private void execute(TrainingJob job, TrainingJobSpec spec, TrainingMetrics.Run metered) throws java.io.IOException {
        UUID jobId = job.getId();
        PreparedData data = preparer.prepare(spec.datasetId(), spec.heldOutFraction(), spec.splitSeed());
        FamilyCatalog.ResolvedConfig config = families.stored(spec.family(), json.writeValueAsString(spec.config()));
        GeneratorFamily<Object> family = config.family();
        JobProgressWriter progress = new JobProgressWriter(jobId, jdbc, json, progressIntervalMillis,
                spec.checkpointEvery(), artifacts.jobDirectory(jobId), device, history(job), metered);
        long started = System.nanoTime();
        try (Generator generator = family.train(data.train(), config.config(), progress)) {
            progress.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Object> metrics = quality.evaluate(generator, data, config.seed());
            tx.executeWithoutResult(status -> publish(job, spec, config, data, generator, metrics, seconds));
        }
        artifacts.deleteJobDirectory(jobId);
        log.info("Training job {} succeeded", jobId);
    }

    /** Writes the artifact and the version row and marks the job SUCCEEDED, all under the model's row lock. */
    private void publish(TrainingJob job, TrainingJobSpec spec, FamilyCatalog.ResolvedConfig config,
            PreparedData data, Generator generator, Map<String, Object> metrics, double seconds) {
        TrainingJob current = jobs.findById(job.getId()).orElseThrow();
        if (current.getStatus().isTerminal()) {
            return;
        }
        ModelVersion existing = registry.versionOfJob(job.getId()).orElse(null);
        if (existing != null) {
            current.succeed(existing.getId());
            return;
        }
        int number = registry.lockNextVersion(spec.model());
        var model = registry.model(spec.model());
        Map<String, Object> normalization = new LinkedHashMap<>();
        normalization.put("mean", data.standardizer().mean());
        normalization.put("std", data.standardizer().std());
        int[] shape = data.train().imageShape() != null ? data.train().imageShape()
                : new int[] {data.train().dimension()};
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("model", spec.model());
        manifest.put("version", number);
        manifest.put("family", spec.family());
        manifest.put("config", spec.config());
        manifest.put("seed", config.seed());
        manifest.put("normalization", normalization);
        manifest.put("dataShape", shape);
        manifest.put("datasetId", spec.datasetId().toString());
        manifest.put("jobId", job.getId().toString());
        manifest.put("codeVersion", codeVersion.value());
        try {
            ArtifactStore.StoredArtifact artifact = artifacts.writeVersion(spec.model(), number, dir -> {
                generator.save(dir);
                java.nio.file.Files.writeString(dir.resolve("manifest.json"), json.writeValueAsString(manifest));
            });
            ModelVersion version = registry.save(new ModelVersion(model.getId(), number, spec.family(),
                    config.json(), config.seed(), json.writeValueAsString(normalization),
                    json.writeValueAsString(shape), spec.datasetId(), job.getId(), codeVersion.value(), seconds,
                    artifact.relativePath(), artifact.sha256(), json.writeValueAsString(metrics)));
            current.succeed(version.getId());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the model artifact", e);
        }
    }

    private void end(UUID jobId, JobStatus status, String error) {
        tx.executeWithoutResult(s -> jobs.findById(jobId).ifPresent(job -> {
            if (!job.getStatus().isTerminal()) {
                job.finish(status, error == null && status == JobStatus.FAILED ? "unknown error" : error);
            }
        }));
        artifacts.deleteJobDirectory(jobId);
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
