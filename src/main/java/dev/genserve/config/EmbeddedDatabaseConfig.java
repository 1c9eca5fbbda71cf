package dev.genserve.config;

import java.io.IOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Zero-setup database: with no {@code spring.datasource.url} (env {@code SPRING_DATASOURCE_URL}), start an embedded
 * PostgreSQL on {@code genserve.embedded-db.data-dir} and expose a Hikari {@link DataSource} over it. Boot's own
 * DataSource auto-configuration then backs off, and Flyway, JPA and JobRunr all use this one. Spring stops the server
 * after every bean that uses the pool has been closed (the DataSource depends on it).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfig.NoDatasourceUrl.class)
public class EmbeddedDatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfig.class);

    @Bean(destroyMethod = "close")
    public EmbeddedPostgresLauncher.Started embeddedPostgres(EmbeddedDbProperties properties) throws IOException {
        log.info("No spring.datasource.url configured: using the embedded PostgreSQL in {}", Path.of(properties.dataDir()).toAbsolutePath());
        return EmbeddedPostgresLauncher.start(Path.of(properties.dataDir()), properties.port(), properties.startupWait());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(EmbeddedPostgresLauncher.Started postgres) {
        HikariDataSource ds = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .driverClassName("org.postgresql.Driver")
                .url(postgres.jdbcUrl())
                .username(postgres.username())
                .password(postgres.password())
                .build();
        ds.setPoolName("genserve-embedded");
        return ds;
    }

    /** Matches when no datasource URL is configured and the embedded database has not been switched off. */
    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var env = context.getEnvironment();
            return !StringUtils.hasText(env.getProperty("spring.datasource.url"))
                    && env.getProperty("genserve.embedded-db.enabled", Boolean.class, true);
        }
    }
}
