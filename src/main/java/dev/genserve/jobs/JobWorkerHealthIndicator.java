package dev.genserve.jobs;

import org.jobrunr.server.BackgroundJobServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code jobWorker}: whether this replica can still train. JobRunr stops a replica's background job server for good
 * after repeated stalls; the replica keeps serving HTTP but never takes a job again. This indicator is DOWN then, and
 * it is part of the liveness and readiness groups (application.yml), so an orchestrator restarts the replica. UP
 * (with {@code enabled: false}) where the job server is switched off on purpose.
 */
@Component("jobWorker")
public class JobWorkerHealthIndicator implements HealthIndicator {

    private final ObjectProvider<BackgroundJobServer> server;
    private final boolean enabled;
    private final ReplicaIdentity replica;

    public JobWorkerHealthIndicator(ObjectProvider<BackgroundJobServer> server, ReplicaIdentity replica,
            @Value("${jobrunr.background-job-server.enabled:true}") boolean enabled) {
        this.server = server;
        this.enabled = enabled;
        this.replica = replica;
    }

    @Override
    public Health health() {
        if (!enabled) {
            return Health.up().withDetail("enabled", false).withDetail("replica", replica.id()).build();
        }
        BackgroundJobServer s = server.getIfAvailable();
        if (s == null || !s.isRunning()) {
            return Health.down().withDetail("enabled", true).withDetail("replica", replica.id())
                    .withDetail("reason", "the JobRunr background job server is not running; restart this replica").build();
        }
        return Health.up().withDetail("enabled", true).withDetail("replica", replica.id()).build();
    }
}
