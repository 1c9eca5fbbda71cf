package dev.genserve.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import dev.genserve.config.DaemonThreads;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes files that no row owns, which a crash can leave behind (see {@link ArtifactStore}): staging directories
 * older than the grace period, version directories without a {@code model_version} row (checked and deleted under
 * the model's row lock, which a publishing replica holds from placing the directory until its commit), and the
 * checkpoints of jobs that ended or no longer exist. Runs once after startup and then every
 * {@code genserve.artifacts.sweep-interval}; safe on any number of replicas at once.
 */
@Component
public class ArtifactJanitor {

    private static final Logger log = LoggerFactory.getLogger(ArtifactJanitor.class);

    private final ArtifactStore store;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Duration interval;
    private final Duration stagingGrace;
    private ScheduledExecutorService timer;

    public ArtifactJanitor(ArtifactStore store, JdbcTemplate jdbc, TransactionTemplate tx,
            @Value("${genserve.artifacts.sweep-interval:1h}") Duration interval,
            @Value("${genserve.artifacts.staging-grace:1h}") Duration stagingGrace) {
        this.store = store;
        this.jdbc = jdbc;
        this.tx = tx;
        this.interval = interval;
        this.stagingGrace = stagingGrace;
    }

    /** What one sweep removed. */
    public record Sweep(int staging, int versions, int jobs) {}

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = DaemonThreads.scheduler("artifact-janitor");
        timer.scheduleWithFixedDelay(this::sweepLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void sweepLogged() {
        try {
            Sweep s = sweep();
            if (s.staging() + s.versions() + s.jobs() > 0) {
                log.info("Artifact sweep removed {} staging, {} orphaned version and {} finished-job checkpoint directories",
                        s.staging(), s.versions(), s.jobs());
            }
        } catch (RuntimeException e) {
            log.warn("Artifact sweep failed: {}", e.toString());
        }
    }

    /** One pass over the store. */
    public Sweep sweep() {
        int staging = 0;
        int versions = 0;
        for (Path modelDir : children(store.root())) {
            String model = modelDir.getFileName().toString();
            if (model.equals(ArtifactStore.JOBS) || model.startsWith(".") || !Files.isDirectory(modelDir)) {
                continue;
            }
            for (Path child : children(modelDir)) {
                if (child.getFileName().toString().startsWith(ArtifactStore.STAGING_PREFIX) && olderThan(child, stagingGrace)) {
                    delete(child);
                    staging++;
                }
            }
            Integer removed = tx.execute(status -> removeOrphanVersions(model, modelDir));
            versions += removed == null ? 0 : removed;
        }
        int jobs = 0;
        for (Path jobDir : children(store.root().resolve(ArtifactStore.JOBS))) {
            UUID id = uuid(jobDir.getFileName().toString());
            if (id == null) {
                continue;
            }
            List<String> status = jdbc.queryForList("select status from training_job where id = ?", String.class, id);
            if (status.isEmpty() || List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status.get(0))) {
                delete(jobDir);
                jobs++;
            }
        }
        return new Sweep(staging, versions, jobs);
    }

    private int removeOrphanVersions(String model, Path modelDir) {
        jdbc.execute("set local lock_timeout = '5s'");
        List<UUID> ids = jdbc.queryForList("select id from model where name = ? for update", UUID.class, model);
        Set<String> owned = new HashSet<>();
        if (!ids.isEmpty()) {
            owned.addAll(jdbc.queryForList("select artifact_path from model_version where model_id = ?", String.class, ids.get(0)));
        }
        int removed = 0;
        for (Path child : children(modelDir)) {
            String name = child.getFileName().toString();
            if (!name.chars().allMatch(Character::isDigit) || name.isEmpty()) {
                continue;
            }
            String relative = store.root().relativize(child).toString();
            if (!owned.contains(relative)) {
                delete(child);
                removed++;
            }
        }
        return removed;
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean olderThan(Path p, Duration age) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path p) {
        try {
            ArtifactStore.deleteRecursively(p);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", p, e.toString());
        }
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
