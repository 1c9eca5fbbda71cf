package dev.genserve.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Health component {@code djl}: engine, PyTorch version, device and threads; DOWN with the error if it did not load. */
public class DjlHealthIndicator implements HealthIndicator {

    private final DjlEngineStatus status;

    public DjlHealthIndicator(DjlEngineStatus status) {
        this.status = status;
    }

    @Override
    public Health health() {
        Health.Builder builder = status.up() ? Health.up() : Health.down().withDetail("error", status.error());
        if (status.up()) {
            builder.withDetail("engine", status.engine())
                    .withDetail("version", status.version())
                    .withDetail("djlVersion", status.djlVersion())
                    .withDetail("gpuCount", status.gpuCount())
                    .withDetail("threads", status.threads())
                    .withDetail("interopThreads", status.interopThreads());
        }
        return builder.withDetail("device", status.device().toString())
                .withDetail("offline", status.offline())
                .build();
    }
}
