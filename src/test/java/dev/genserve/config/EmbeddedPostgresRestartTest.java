package dev.genserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The embedded database keeps its data across restarts on the same directory, and refuses a directory in use. */
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
}
