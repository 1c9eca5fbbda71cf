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

    protected Model() {}

    public Model(String name, String family) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.family = family;
        this.createdAt = Instant.now();
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
