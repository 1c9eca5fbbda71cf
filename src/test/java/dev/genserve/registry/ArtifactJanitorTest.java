package dev.genserve.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Artifact files and rows stay consistent both ways (issue 14): a staged version that is never placed leaves nothing;
 * a deletion removes the files only after the row is gone, so a rolled-back deletion keeps them; and what a crash
 * leaves behind (a directory without a row, a stale staging directory, checkpoints of an ended job) is swept, while
 * owned files and fresh staging directories stay.
 */
@IntegrationTest
class ArtifactJanitorTest {

    @Autowired
    ArtifactStore store;

    @Autowired
    ArtifactJanitor janitor;

    @Autowired
    ModelRegistry registry;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate tx;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @Test
    void orphansAreSweptAndOwnedFilesAreKept() throws Exception {
        String model = "janitor-" + UUID.randomUUID().toString().substring(0, 8);
        UUID modelId = registry.ensureModel(model, "diffusion").getId();
        Path owned = placeVersion(model, 1);
        insertVersionRow(modelId, 1, store.root().relativize(owned).toString());
        Path orphan = placeVersion(model, 2);
        Path freshStaging = Files.createDirectories(store.root().resolve(model).resolve(".tmp-fresh"));
        Path oldStaging = Files.createDirectories(store.root().resolve(model).resolve(".tmp-old"));
        Files.setLastModifiedTime(oldStaging, FileTime.from(Instant.now().minusSeconds(7200)));
        Path unknownJob = Files.createDirectories(store.attemptDirectory(UUID.randomUUID(), 1));

        ArtifactJanitor.Sweep sweep = janitor.sweep();

        assertThat(owned).exists();
        assertThat(orphan).doesNotExist();
        assertThat(freshStaging).as("may belong to a publish in progress").exists();
        assertThat(oldStaging).doesNotExist();
        assertThat(unknownJob.getParent()).as("checkpoints of a job that does not exist").doesNotExist();
        assertThat(sweep.versions()).isGreaterThanOrEqualTo(1);
        assertThat(sweep.staging()).isGreaterThanOrEqualTo(1);
        assertThat(sweep.jobs()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aDeletionThatDoesNotCommitKeepsTheFilesAndOneThatCommitsRemovesThem() throws Exception {
        String model = "janitor-del-" + UUID.randomUUID().toString().substring(0, 8);
        UUID modelId = registry.ensureModel(model, "diffusion").getId();
        Path dir = placeVersion(model, 1);
        insertVersionRow(modelId, 1, store.root().relativize(dir).toString());
        try {
            tx.executeWithoutResult(status -> {
                registry.deleteVersion(model, 1);
                throw new IllegalStateException("the transaction fails after the delete");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertThat(dir).as("files of a row that still exists").exists();
        assertThat(registry.versions(model)).hasSize(1);
        registry.deleteVersion(model, 1);
        assertThat(dir).doesNotExist();
        assertThat(registry.versions(model)).isEmpty();
    }

    @Test
    void aStagedVersionThatIsNeverPlacedLeavesNothing() throws Exception {
        String model = "janitor-tx-" + UUID.randomUUID().toString().substring(0, 8);
        Path staging;
        try (ArtifactStore.Staged staged = store.stage(model, d -> Files.writeString(d.resolve("model.params"), "weights"))) {
            staging = staged.directory();
            assertThat(staging.resolve("model.params")).exists();
        }
        assertThat(staging).doesNotExist();
        try (Stream<Path> left = Files.list(store.root().resolve(model))) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void anArtifactThatFailsItsChecksumIsA500ThatNamesNoServerPath() throws Exception {
        String model = "janitor-bad-" + UUID.randomUUID().toString().substring(0, 8);
        UUID modelId = registry.ensureModel(model, "diffusion").getId();
        Path dir = placeVersion(model, 1);
        insertVersionRow(modelId, 1, store.root().relativize(dir).toString()); // the recorded SHA-256 does not match
        dev.genserve.support.Http.Response r = new dev.genserve.support.Http(port).send("POST",
                "/api/v1/models/" + model + "/versions/1/samples", "{\"n\":1}", "Content-Type", "application/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(500);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("detail").asString()).contains(model + "/1").contains("integrity")
                .doesNotContain(store.root().toString()).doesNotContain("/tmp");
    }

    private Path placeVersion(String model, int version) throws Exception {
        try (ArtifactStore.Staged staged = store.stage(model, d -> Files.writeString(d.resolve("model.params"), "weights"))) {
            return staged.place(version, d -> Files.writeString(d.resolve("manifest.json"), "{}")).directory();
        }
    }

    private void insertVersionRow(UUID modelId, int version, String path) {
        jdbc.update("insert into model_version (id, model_id, version, family, config, seed, normalization, code_version,"
                + " artifact_path, artifact_sha256) values (?, ?, ?, 'diffusion', '{}', 0, '{}', 'test', ?, ?)",
                UUID.randomUUID(), modelId, version, path, "0".repeat(64));
    }
}
