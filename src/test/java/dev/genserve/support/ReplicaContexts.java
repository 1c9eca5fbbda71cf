package dev.genserve.support;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.genserve.GenserveApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Whole applications started by hand, as replicas: each its own Spring context with its own web server and JobRunr
 * server, all on one database of their own (created on the shared test PostgreSQL server, dropped at the end) and
 * one artifact directory, like replicas on one database and a shared volume.
 */
public final class ReplicaContexts implements AutoCloseable {

    private final SharedTestDatabase shared = SharedTestDatabase.get();
    private final String database = "genserve_replicas_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String url;

    public ReplicaContexts() {
        execute("CREATE DATABASE " + database);
        this.url = withDatabase(shared.jdbcUrl(), database);
    }

    public String jdbcUrl() {
        return url;
    }

    /** Starts a replica with these extra sources (test configurations) and properties. */
    public ConfigurableApplicationContext start(Map<String, Object> properties, Class<?>... sources) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", url);
        p.put("spring.datasource.username", shared.username());
        p.put("spring.datasource.password", shared.password());
        p.put("genserve.embedded-db.enabled", "false");
        p.put("server.port", "0");
        p.put("jobrunr.dashboard.enabled", "false");
        p.put("spring.main.banner-mode", "off");
        p.put("logging.level.org.jobrunr", "WARN");
        p.putAll(properties);
        Class<?>[] all = new Class<?>[sources.length + 1];
        all[0] = GenserveApplication.class;
        System.arraycopy(sources, 0, all, 1, sources.length);
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(all)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("excludeTestClasses", new ExcludeTestClasses()))
                .run(args); // command-line arguments: above application.yml
    }

    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(shared.jdbcUrl(), shared.username(), shared.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Replica tests need a database user that may create databases: " + e.getMessage(), e);
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String query = q < 0 ? "" : jdbcUrl.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + query;
    }

    /** Keeps test classes (and the test database wiring) out of the component scan of a hand-started replica. */
    static final class ExcludeTestClasses extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
            String name = reader.getClassMetadata().getClassName();
            return reader.getAnnotationMetadata().hasAnnotation("org.springframework.boot.test.context.TestConfiguration")
                    || name.startsWith("dev.genserve.support.") || name.matches(".*Test(\\$.*)?$") || name.contains("Test$");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExcludeTestClasses;
        }

        @Override
        public int hashCode() {
            return ExcludeTestClasses.class.hashCode();
        }
    }
}
