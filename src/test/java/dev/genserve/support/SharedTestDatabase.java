package dev.genserve.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Picks the PostgreSQL for integration tests, once per JVM, in this order:
 * <ol>
 *   <li>env {@code TEST_DATABASE_URL} (+ {@code TEST_DATABASE_USERNAME}, {@code TEST_DATABASE_PASSWORD});</li>
 *   <li>Testcontainers {@code postgres:16} when Docker is available (wired with {@code @ServiceConnection});</li>
 *   <li>otherwise an embedded zonky PostgreSQL 17 in a temporary directory.</li>
 * </ol>
 * The choice is logged at WARN ("Integration tests use PostgreSQL via: ...") and a failure to get a database fails the
 * tests; nothing is ever skipped.
 */
public final class SharedTestDatabase {

    public enum Kind { EXTERNAL, TESTCONTAINERS, EMBEDDED }

    public static final String POSTGRES_IMAGE = "postgres:16.10-alpine";
    private static final Logger log = LoggerFactory.getLogger(SharedTestDatabase.class);

    private static volatile SharedTestDatabase instance;

    private final Kind kind;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String serverVersion;
    private final SharedPostgresContainer container;

    private SharedTestDatabase(Kind kind, String jdbcUrl, String username, String password, SharedPostgresContainer container) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.container = container;
        this.serverVersion = queryVersion(jdbcUrl, username, password);
    }

    public static SharedTestDatabase get() {
        SharedTestDatabase db = instance;
        if (db == null) {
            synchronized (SharedTestDatabase.class) {
                db = instance;
                if (db == null) {
                    db = create();
                    log.warn("Integration tests use PostgreSQL via: {} {} at {}", db.describeKind(), db.serverVersion, db.jdbcUrl);
                    instance = db;
                }
            }
        }
        return db;
    }

    private static SharedTestDatabase create() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new SharedTestDatabase(Kind.EXTERNAL, url, envOr("TEST_DATABASE_USERNAME", "postgres"),
                    envOr("TEST_DATABASE_PASSWORD", ""), null);
        }
        if (dockerAvailable()) {
            SharedPostgresContainer c = new SharedPostgresContainer(POSTGRES_IMAGE);
            c.start();
            Runtime.getRuntime().addShutdownHook(new Thread(c::stopForReal, "test-postgres-stop"));
            return new SharedTestDatabase(Kind.TESTCONTAINERS, c.getJdbcUrl(), c.getUsername(), c.getPassword(), c);
        }
        log.warn("Docker is not available and TEST_DATABASE_URL is not set: falling back to an embedded PostgreSQL (zonky)");
        try {
            Path dir = Files.createTempDirectory("genserve-test-pg");
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // JVM is exiting
                }
            }, "test-embedded-pg-stop"));
            return new SharedTestDatabase(Kind.EMBEDDED, pg.getJdbcUrl("postgres", "postgres"), "postgres", "", null);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL for integration tests", e);
        }
    }

    private static boolean dockerAvailable() {
        // Testcontainers' own probe tries several strategies and takes ~10 s to say no; with no DOCKER_HOST, no
        // local socket and no Testcontainers config there is nothing it could find, so answer at once.
        boolean hint = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!hint) {
            log.info("No Docker endpoint (DOCKER_HOST, /var/run/docker.sock, ~/.testcontainers.properties): skipping Testcontainers");
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            log.info("Docker check failed: {}", t.toString());
            return false;
        }
    }

    private static String queryVersion(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Integration-test database at " + url + " is not reachable: " + e.getMessage(), e);
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    public String describeKind() {
        return switch (kind) {
            case EXTERNAL -> "TEST_DATABASE_URL, PostgreSQL";
            case TESTCONTAINERS -> "Testcontainers " + POSTGRES_IMAGE + ", PostgreSQL";
            case EMBEDDED -> "embedded zonky PostgreSQL";
        };
    }

    public Kind kind() {
        return kind;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String serverVersion() {
        return serverVersion;
    }

    SharedPostgresContainer container() {
        return container;
    }

    /**
     * A container shared by every test context of the JVM. Spring Boot stops {@code @ServiceConnection} containers when a
     * context closes; a cached context closing early must not pull the database from under the others, so
     * {@link #stop()} does nothing and a JVM shutdown hook (and Testcontainers' Ryuk) removes it at the end.
     */
    public static final class SharedPostgresContainer extends PostgreSQLContainer {

        SharedPostgresContainer(String image) {
            super(image);
        }

        @Override
        public void stop() {
            // shared per JVM: see class comment
        }

        void stopForReal() {
            super.stop();
        }
    }
}
