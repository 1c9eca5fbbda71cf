package dev.genserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import dev.genserve.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** Flyway V1 created the core tables, and their constraints reject bad data. Each test rolls back. */
@IntegrationTest
@Transactional
class SchemaMigrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void flywayCreatedTheCoreTablesAndJobRunrItsOwn() {
        List<String> tables = jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", String.class);
        assertThat(tables).contains("dataset", "training_job", "model", "model_version", "model_alias", "model_alias_history",
                "flyway_schema_history", "jobrunr_jobs");
        Integer failed = jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE NOT success", Integer.class);
        assertThat(failed).isZero();
    }

    @Test
    void trainingJobStatusMustBeKnown() {
        UUID dataset = insertDataset();
        insertJob(dataset, "QUEUED");
        assertThatThrownBy(() -> insertJob(dataset, "DONE"))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("ck_training_job_status");
    }

    @Test
    void trainingJobNeedsAnExistingDataset() {
        assertThatThrownBy(() -> insertJob(UUID.randomUUID(), "QUEUED"))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("training_job_dataset_id_fkey");
    }

    @Test
    void modelVersionNumbersAreUniquePerModel() {
        UUID model = insertModel("m-" + UUID.randomUUID().toString().substring(0, 8));
        insertVersion(model, 1);
        insertVersion(model, 2);
        assertThatThrownBy(() -> insertVersion(model, 1))
                .isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining("uq_model_version");
    }

    @Test
    void modelNamesAreUnique() {
        insertModel("moons");
        assertThatThrownBy(() -> insertModel("moons")).isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining("uq_model_name");
    }

    @Test
    void modelNamesArePathSafe() {
        // names become directories in the artifact store
        assertThatThrownBy(() -> insertModel("../etc")).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("ck_model_name");
    }

    @Test
    void aliasMustPointAtAVersionOfTheSameModel() {
        UUID a = insertModel("alias-a");
        UUID b = insertModel("alias-b");
        UUID versionOfB = insertVersion(b, 1);
        UUID versionOfA = insertVersion(a, 1);
        jdbc.update("INSERT INTO model_alias (model_id, alias, version_id) VALUES (?, 'production', ?)", a, versionOfA);
        assertThatThrownBy(() -> jdbc.update("INSERT INTO model_alias (model_id, alias, version_id) VALUES (?, 'staging', ?)", a, versionOfB))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("fk_model_alias_version");
    }

    @Test
    void succeededJobMustReferenceItsModelVersion() {
        UUID dataset = insertDataset();
        UUID job = insertJob(dataset, "RUNNING");
        assertThatThrownBy(() -> jdbc.update("UPDATE training_job SET status = 'SUCCEEDED', finished_at = now() WHERE id = ?", job))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("ck_training_job_succeeded");
    }

    private UUID insertDataset() {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO dataset (id, name, source, format, rows, cols, sha256, data) VALUES (?, ?, 'upload', 'csv', 2, 1, ?, ?)",
                id, "ds-" + id, "0".repeat(64), new byte[8]);
        return id;
    }

    private UUID insertJob(UUID dataset, String status) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO training_job (id, model_name, family, dataset_id, spec, status, total_steps) "
                + "VALUES (?, 'm', 'score', ?, '{}'::jsonb, ?, 10)", id, dataset, status);
        return id;
    }

    private UUID insertModel(String name) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO model (id, name, family) VALUES (?, ?, 'score')", id, name);
        return id;
    }

    private UUID insertVersion(UUID model, int version) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO model_version (id, model_id, version, family, config, seed, normalization, code_version, "
                        + "artifact_path, artifact_sha256) VALUES (?, ?, ?, 'score', '{}'::jsonb, 7, '{}'::jsonb, 'dev', 'x', ?)",
                id, model, version, "a".repeat(64));
        return id;
    }
}
