package dev.genserve.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Wires the {@link SharedTestDatabase} into a test context: a {@code @ServiceConnection} container bean on the
 * Testcontainers path, a {@link JdbcConnectionDetails} bean on the other two. Also points the artifact store at a
 * temporary directory (one per JVM).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    private static final Path ARTIFACTS_ROOT = createTempDir();

    @Bean
    @ServiceConnection
    @Conditional(OnTestcontainers.class)
    SharedTestDatabase.SharedPostgresContainer postgresContainer() {
        return SharedTestDatabase.get().container();
    }

    @Bean
    @Conditional(OnPlainJdbc.class)
    JdbcConnectionDetails testJdbcConnectionDetails() {
        SharedTestDatabase db = SharedTestDatabase.get();
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return db.username();
            }

            @Override
            public String getPassword() {
                return db.password();
            }

            @Override
            public String getJdbcUrl() {
                return db.jdbcUrl();
            }
        };
    }

    @Bean
    static DynamicPropertyRegistrar testArtifactsRoot() {
        return registry -> registry.add("genserve.artifacts.root", ARTIFACTS_ROOT::toString);
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("genserve-test-models");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static class OnTestcontainers implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return SharedTestDatabase.get().kind() == SharedTestDatabase.Kind.TESTCONTAINERS;
        }
    }

    static class OnPlainJdbc implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return SharedTestDatabase.get().kind() != SharedTestDatabase.Kind.TESTCONTAINERS;
        }
    }
}
