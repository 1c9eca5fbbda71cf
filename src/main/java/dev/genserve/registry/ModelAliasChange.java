package dev.genserve.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One row of alias history: which version an alias pointed at from {@code changedAt} on (null = removed). */
@Entity
@Table(name = "model_alias_history")
public class ModelAliasChange {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "model_id", nullable = false)
    private UUID modelId;

    @Column(nullable = false, length = 64)
    private String alias;

    @Column(name = "version_id")
    private UUID versionId;

    @Column(name = "previous_version_id")
    private UUID previousVersionId;

    @Column(name = "changed_at", nullable = false)
    private Instant changedAt;

    protected ModelAliasChange() {}

    public ModelAliasChange(UUID modelId, String alias, UUID versionId, UUID previousVersionId) {
        this.modelId = modelId;
        this.alias = alias;
        this.versionId = versionId;
        this.previousVersionId = previousVersionId;
        this.changedAt = Instant.now();
    }

    public Long getId() {
        return id;
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

    public UUID getPreviousVersionId() {
        return previousVersionId;
    }

    public Instant getChangedAt() {
        return changedAt;
    }
}
