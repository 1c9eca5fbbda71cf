package dev.genserve.jobs;

import java.net.InetAddress;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The name of this process among the replicas sharing the database: {@code genserve.replica.id} (env
 * {@code GENSERVE_REPLICA_ID}, e.g. the pod name), else {@code <host>:<pid>:<random>}. It is the owner of the leases
 * this process takes, and {@code GET /jobs/{id}} shows it as the job's {@code replica}.
 */
@Component
public class ReplicaIdentity {

    private final String id;

    public ReplicaIdentity(@Value("${genserve.replica.id:}") String configured) {
        this.id = StringUtils.hasText(configured) ? configured.trim() : host() + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public String id() {
        return id;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "host";
        }
    }
}
