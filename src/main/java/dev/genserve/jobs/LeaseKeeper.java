package dev.genserve.jobs;

import dev.genserve.config.DaemonThreads;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Renews the leases of the jobs this replica runs, every quarter of the lease duration, on its own thread: long
 * steps, metric evaluation and artifact writing never let a healthy run's lease lapse. A renewal that finds the lease
 * gone marks it {@link Held#lost lost}; the run checks that between steps and stops.
 */
@Component
public class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    /** A lease being kept; closing it stops the renewals. */
    public static final class Held implements AutoCloseable {

        private final JobLease lease;
        private volatile boolean lost;
        private ScheduledFuture<?> renewals;

        Held(JobLease lease) {
            this.lease = lease;
        }

        public JobLease lease() {
            return lease;
        }

        public boolean lost() {
            return lost;
        }

        public void markLost() {
            lost = true;
        }

        @Override
        public void close() {
            if (renewals != null) {
                renewals.cancel(false);
            }
        }
    }

    private final JobLeases leases;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("lease-renewer");

    public LeaseKeeper(JobLeases leases) {
        this.leases = leases;
    }

    public Held hold(JobLease lease) {
        Held held = new Held(lease);
        long every = Math.max(100, leases.duration().toMillis() / 4);
        held.renewals = timer.scheduleWithFixedDelay(() -> {
            if (held.lost) {
                return;
            }
            try {
                if (!leases.renew(lease)) {
                    log.info("Lease of job {} (token {}) is no longer held by {}: the job ended, or another replica took"
                            + " it over", lease.jobId(), lease.token(), lease.owner());
                    held.markLost();
                }
            } catch (RuntimeException e) {
                log.warn("Could not renew the lease of job {}: {}", lease.jobId(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return held;
    }

    @PreDestroy
    public void stop() {
        timer.shutdownNow();
    }
}
