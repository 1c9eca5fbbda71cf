package dev.genserve.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A movable name (such as "production") that points at one version of a model. */
@Entity
@Table(name = "model_alias")
@IdClass(ModelAlias.Key.class)
public class ModelAlias {

    /** Composite key (model, alias). */
    public record Key(UUID modelId, String alias) implements Serializable {
        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "model_id")
    private UUID modelId;

    @Id
    @Column(length = 64)
    private String alias;

    @Column(name = "version_id", nullable = false)
    private UUID versionId;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ModelAlias() {}

    public ModelAlias(UUID modelId, String alias, UUID versionId) {
        this.modelId = modelId;
        this.alias = alias;
        this.versionId = versionId;
        this.updatedAt = Instant.now();
    }

    public UUID getModelId() {
        return modelId;
    }

    public String getAlias() {
        return alias;
    }

    public UUID getVersionId() {
        return versionId;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    void pointAt(UUID version) {
        this.versionId = version;
        this.updatedAt = Instant.now();
    }
}
