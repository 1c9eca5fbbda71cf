package dev.genserve.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is configured.
 *
 * @param enabled     start it at all (only ever considered when {@code spring.datasource.url} is absent)
 * @param dataDir     data directory; kept between runs
 * @param port        TCP port on localhost; 0 picks a free one at every start
 * @param startupWait how long to wait for the server to accept connections
 */
@ConfigurationProperties("genserve.embedded-db")
public record EmbeddedDbProperties(@DefaultValue("true") boolean enabled,
                                   @DefaultValue("./data/postgres") String dataDir,
                                   @DefaultValue("0") int port,
                                   @DefaultValue("60s") Duration startupWait) {
}
