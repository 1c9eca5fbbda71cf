package dev.genserve.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A named model: the line of versions that successive training jobs of one family produce. */
@Entity
@Table(name = "model")
public class Model {

    @Id
    private UUID id;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(nullable = false, length = 32)
    private String family;

    private String description;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** The highest version number ever given out; numbers are never reused, so a version URL is immutable. */
    @Column(name = "last_version", nullable = false)
    private int lastVersion;

    protected Model() {}

    public Model(String name, String family) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.family = family;
        this.createdAt = Instant.now();
    }

    /** Takes the next version number (call with the row locked). */
    int claimVersion(int highestExisting) {
        lastVersion = Math.max(lastVersion, highestExisting) + 1;
        return lastVersion;
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getFamily() {
        return family;
    }

    public String getDescription() {
        return description;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
