package dev.genserve.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One immutable trained version of a model: everything needed to reproduce and serve it (family, full config,
 * seed, normalisation, dataset, code version) plus its artifact's location and checksum and its held-out metrics.
 */
@Entity
@Table(name = "model_version")
public class ModelVersion {

    @Id
    private UUID id;

    @Column(name = "model_id", nullable = false)
    private UUID modelId;

    @Column(nullable = false)
    private int version;

    @Column(nullable = false, length = 32)
    private String family;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String config;

    @Column(nullable = false)
    private long seed;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String normalization;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "data_shape")
    private String dataShape;

    @Column(name = "dataset_id")
    private UUID datasetId;

    @Column(name = "job_id")
    private UUID jobId;

    @Column(name = "code_version", nullable = false, length = 100)
    private String codeVersion;

    @Column(name = "training_seconds")
    private Double trainingSeconds;

    @Column(name = "artifact_path", nullable = false)
    private String artifactPath;

    @Column(name = "artifact_sha256", nullable = false, length = 64)
    private String artifactSha256;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String metrics;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** For a version imported from another instance: its original model, version, job and dates (JSON). */
    @JdbcTypeCode(SqlTypes.JSON)
    private String origin;

    protected ModelVersion() {}

    public ModelVersion(UUID id, UUID modelId, int version, String family, String config, long seed, String normalization,
            String dataShape, UUID datasetId, UUID jobId, String codeVersion, Double trainingSeconds,
            String artifactPath, String artifactSha256, String metrics) {
        this.id = id;
        this.modelId = modelId;
        this.version = version;
        this.family = family;
        this.config = config;
        this.seed = seed;
        this.normalization = normalization;
        this.dataShape = dataShape;
        this.datasetId = datasetId;
        this.jobId = jobId;
        this.codeVersion = codeVersion;
        this.trainingSeconds = trainingSeconds;
        this.artifactPath = artifactPath;
        this.artifactSha256 = artifactSha256;
        this.metrics = metrics;
        this.createdAt = Instant.now();
    }

    /** Records where an imported version came from (before it is first saved). */
    void importedFrom(String originJson) {
        this.origin = originJson;
    }

    public String getOrigin() {
        return origin;
    }

    public UUID getId() {
        return id;
    }

    public UUID getModelId() {
        return modelId;
    }

    public int getVersion() {
        return version;
    }

    public String getFamily() {
        return family;
    }

    public String getConfig() {
        return config;
    }

    public long getSeed() {
        return seed;
    }

    public String getNormalization() {
        return normalization;
    }

    public String getDataShape() {
        return dataShape;
    }

    public UUID getDatasetId() {
        return datasetId;
    }

    public UUID getJobId() {
        return jobId;
    }

    public String getCodeVersion() {
        return codeVersion;
    }

    public Double getTrainingSeconds() {
        return trainingSeconds;
    }

    public String getArtifactPath() {
        return artifactPath;
    }

    public String getArtifactSha256() {
        return artifactSha256;
    }

    public String getMetrics() {
        return metrics;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
