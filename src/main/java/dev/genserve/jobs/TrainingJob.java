package dev.genserve.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A request to train a model version, and its progress. The entity is inserted once and otherwise only read: every
 * later change is a conditional SQL update ({@link JobLeases}, {@link TrainingJobService#cancel}), so that no stale
 * copy of the row ever overwrites a newer write, and every write of a running job can be fenced by its lease.
 */
@Entity
@Immutable
@Table(name = "training_job")
public class TrainingJob {

    @Id
    private UUID id;

    @Column(length = 200)
    private String name;

    /** JSON array of strings. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String tags;

    @Column(name = "model_name", nullable = false, length = 100)
    private String modelName;

    @Column(nullable = false, length = 32)
    private String family;

    @Column(name = "dataset_id", nullable = false)
    private UUID datasetId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String spec;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private JobStatus status;

    @Column(nullable = false)
    private int step;

    @Column(name = "total_steps", nullable = false)
    private int totalSteps;

    private Double loss;

    @Column(name = "ema_loss")
    private Double emaLoss;

    @Column(name = "steps_per_second")
    private Double stepsPerSecond;

    @Column(name = "eta_seconds")
    private Double etaSeconds;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "loss_history", nullable = false)
    private String lossHistory;

    private String error;

    @Column(name = "checkpoint_path")
    private String checkpointPath;

    @Column(name = "resume_count", nullable = false)
    private int resumeCount;

    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;

    @Column(name = "model_version_id")
    private UUID modelVersionId;

    @Column(name = "jobrunr_job_id")
    private UUID jobrunrJobId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "lease_owner", length = 200)
    private String leaseOwner;

    @Column(name = "lease_token", nullable = false)
    private long leaseToken;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Column(name = "resumed_from_step")
    private Integer resumedFromStep;

    @Column(name = "dispatched_at")
    private Instant dispatchedAt;

    @Column(name = "idempotency_key", length = 200)
    private String idempotencyKey;

    @Column(name = "request_sha256", length = 64)
    private String requestSha256;

    protected TrainingJob() {}

    public TrainingJob(UUID id, String modelName, String family, UUID datasetId, String spec, int totalSteps,
            String idempotencyKey, String requestSha256) {
        this.id = id;
        this.modelName = modelName;
        this.family = family;
        this.datasetId = datasetId;
        this.spec = spec;
        this.totalSteps = totalSteps;
        this.status = JobStatus.QUEUED;
        this.lossHistory = "[]";
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
        this.jobrunrJobId = id;
        this.idempotencyKey = idempotencyKey;
        this.requestSha256 = requestSha256;
        this.tags = "[]";
    }

    /** Sets the job's human name and tags (a JSON array of strings) before it is first saved. */
    void label(String jobName, String tagsJson) {
        this.name = jobName;
        this.tags = tagsJson;
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getTags() {
        return tags;
    }

    public String getModelName() {
        return modelName;
    }

    public String getFamily() {
        return family;
    }

    public UUID getDatasetId() {
        return datasetId;
    }

    public String getSpec() {
        return spec;
    }

    public JobStatus getStatus() {
        return status;
    }

    public int getStep() {
        return step;
    }

    public int getTotalSteps() {
        return totalSteps;
    }

    public Double getLoss() {
        return loss;
    }

    public Double getEmaLoss() {
        return emaLoss;
    }

    public Double getStepsPerSecond() {
        return stepsPerSecond;
    }

    public Double getEtaSeconds() {
        return etaSeconds;
    }

    public String getLossHistory() {
        return lossHistory;
    }

    public String getError() {
        return error;
    }

    public String getCheckpointPath() {
        return checkpointPath;
    }

    public int getResumeCount() {
        return resumeCount;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public UUID getModelVersionId() {
        return modelVersionId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** The replica that holds (or last held) the job's lease: the one running it. */
    public String getLeaseOwner() {
        return leaseOwner;
    }

    /** The fencing token: how many times the job has been claimed. */
    public long getLeaseToken() {
        return leaseToken;
    }

    public Instant getLeaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Integer getResumedFromStep() {
        return resumedFromStep;
    }

    public Instant getDispatchedAt() {
        return dispatchedAt;
    }

    public UUID getJobrunrJobId() {
        return jobrunrJobId;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public String getRequestSha256() {
        return requestSha256;
    }
}
