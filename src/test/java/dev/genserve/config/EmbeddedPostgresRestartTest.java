package dev.genserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded database keeps its data across restarts on the same directory, refuses a directory in use, asks every
 * connection for the password kept (owner-only) in its data directory, and moves a directory created with
 * {@code trust} over to scram-sha-256 without losing its data.
 */
class EmbeddedPostgresRestartTest {

    @TempDir
    Path tmp;

    @Test
    void dataSurvivesRestartOnTheSameDirectory() throws Exception {
        Path dir = tmp.resolve("pg");
        try (EmbeddedPostgresLauncher.Started pg = EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60))) {
            JdbcTemplate jdbc = new JdbcTemplate(pg.dataSource());
            jdbc.execute("CREATE TABLE kept (v TEXT)");
            jdbc.update("INSERT INTO kept VALUES ('survives')");
        }
        assertThat(Files.exists(dir.resolve("postgresql.conf"))).isTrue();
        try (EmbeddedPostgresLauncher.Started pg = EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60))) {
            JdbcTemplate jdbc = new JdbcTemplate(pg.dataSource());
            assertThat(jdbc.queryForObject("SELECT v FROM kept", String.class)).isEqualTo("survives");
        }
    }

    @Test
    void aDirectoryInUseIsRefusedWithAClearMessage() throws Exception {
        Path dir = tmp.resolve("busy");
        try (EmbeddedPostgresLauncher.Started pg = EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60))) {
            assertThatThrownBy(() -> EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
            assertThat(new JdbcTemplate(pg.dataSource()).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void everyConnectionNeedsThePasswordKeptOwnerOnlyInTheDataDirectory() throws Exception {
        Path dir = tmp.resolve("auth");
        try (EmbeddedPostgresLauncher.Started pg = EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60))) {
            Path file = dir.resolve(EmbeddedPostgresLauncher.PASSWORD_FILE);
            assertThat(Files.readString(file).trim()).isEqualTo(pg.password()).hasSizeGreaterThanOrEqualTo(30);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(dir.resolve("pg_hba.conf"))).contains("scram-sha-256").doesNotContain("trust");
            assertThat(new JdbcTemplate(pg.dataSource()).queryForObject("SHOW password_encryption", String.class))
                    .isEqualTo("scram-sha-256");
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl()).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl() + "&password=wrong").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            String stored = new JdbcTemplate(pg.dataSource()).queryForObject(
                    "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'", String.class);
            assertThat(stored).startsWith("SCRAM-SHA-256$");
        }
        try (EmbeddedPostgresLauncher.Started again = EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60))) {
            assertThat(again.password()).as("the password is generated once per directory")
                    .isEqualTo(Files.readString(dir.resolve(EmbeddedPostgresLauncher.PASSWORD_FILE)).trim());
            assertThat(new JdbcTemplate(again.dataSource()).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void aDirectoryCreatedWithTrustKeepsItsDataAndMovesToScram() throws Exception {
        Path dir = tmp.resolve("legacy");
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start()) {
            JdbcTemplate jdbc = new JdbcTemplate(old.getPostgresDatabase());
            jdbc.execute("CREATE TABLE kept (v TEXT)");
            jdbc.update("INSERT INTO kept VALUES ('from the trust days')");
        }
        assertThat(Files.readString(dir.resolve("pg_hba.conf"))).contains("trust");
        assertThat(Files.exists(dir.resolve(EmbeddedPostgresLauncher.PASSWORD_FILE))).isFalse();
        try (EmbeddedPostgresLauncher.Started pg = EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60))) {
            assertThat(new JdbcTemplate(pg.dataSource()).queryForObject("SELECT v FROM kept", String.class))
                    .isEqualTo("from the trust days");
            assertThat(Files.readString(dir.resolve("pg_hba.conf"))).isEqualTo(EmbeddedPostgresLauncher.HBA);
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl()).close()).isInstanceOf(SQLException.class);
        }
        try (EmbeddedPostgresLauncher.Started pg = EmbeddedPostgresLauncher.start(dir, 0, Duration.ofSeconds(60))) {
            assertThat(new JdbcTemplate(pg.dataSource()).queryForObject("SELECT v FROM kept", String.class))
                    .isEqualTo("from the trust days");
        }
    }
}
