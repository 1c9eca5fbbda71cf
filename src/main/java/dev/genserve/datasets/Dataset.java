package dev.genserve.datasets;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of the {@code dataset} table (V1 schema, plus {@code class_names} from V2). JSONB columns are held as their
 * JSON text; {@link DatasetService} reads and writes them. {@code data} is float32 little-endian row-major,
 * {@code labels} int32 little-endian, one per row.
 */
@Entity
@Table(name = "dataset")
public class Dataset {

    public static final String SOURCE_BUILTIN = "builtin";
    public static final String SOURCE_UPLOAD = "upload";

    @Id
    private UUID id;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false, length = 16)
    private String source;

    @Column(nullable = false, length = 16)
    private String format;

    @Column(columnDefinition = "text")
    private String description;

    @Column(name = "rows", nullable = false)
    private int rows;

    @Column(name = "cols", nullable = false)
    private int cols;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    private String shape;

    @Column(name = "has_labels", nullable = false)
    private boolean hasLabels;

    @Column(name = "num_classes")
    private Integer numClasses;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "feature_mean", columnDefinition = "jsonb")
    private String featureMean;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "feature_std", columnDefinition = "jsonb")
    private String featureStd;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "class_names", columnDefinition = "jsonb")
    private String classNames;

    @Column(nullable = false, length = 64)
    private String sha256;

    @Column(nullable = false, columnDefinition = "bytea")
    private byte[] data;

    @Column(columnDefinition = "bytea")
    private byte[] labels;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Dataset() {
    }

    public Dataset(UUID id, String name, String source, String format) {
        this.id = id;
        this.name = name;
        this.source = source;
        this.format = format;
        this.createdAt = Instant.now();
    }

    public UUID getId() { return id; }
    public String getName() { return name; }
    public String getSource() { return source; }
    public String getFormat() { return format; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public int getRows() { return rows; }
    public void setRows(int rows) { this.rows = rows; }
    public int getCols() { return cols; }
    public void setCols(int cols) { this.cols = cols; }
    public String getShape() { return shape; }
    public void setShape(String shape) { this.shape = shape; }
    public boolean isHasLabels() { return hasLabels; }
    public void setHasLabels(boolean hasLabels) { this.hasLabels = hasLabels; }
    public Integer getNumClasses() { return numClasses; }
    public void setNumClasses(Integer numClasses) { this.numClasses = numClasses; }
    public String getFeatureMean() { return featureMean; }
    public void setFeatureMean(String featureMean) { this.featureMean = featureMean; }
    public String getFeatureStd() { return featureStd; }
    public void setFeatureStd(String featureStd) { this.featureStd = featureStd; }
    public String getClassNames() { return classNames; }
    public void setClassNames(String classNames) { this.classNames = classNames; }
    public String getSha256() { return sha256; }
    public void setSha256(String sha256) { this.sha256 = sha256; }
    public byte[] getData() { return data; }
    public void setData(byte[] data) { this.data = data; }
    public byte[] getLabels() { return labels; }
    public void setLabels(byte[] labels) { this.labels = labels; }
    public Instant getCreatedAt() { return createdAt; }
}
