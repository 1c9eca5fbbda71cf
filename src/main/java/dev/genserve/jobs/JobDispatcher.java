package dev.genserve.jobs;

import dev.genserve.config.DaemonThreads;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.StorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox between {@code training_job} and JobRunr. A submission only inserts its row (one connection, one
 * transaction); this dispatcher, on one background thread per replica, hands undispatched jobs to JobRunr under
 * their JobRunr id and marks them dispatched. A crash between the two re-enqueues the same id, which JobRunr already
 * has, so a job is never lost and never queued twice. Rows are taken with {@code FOR UPDATE SKIP LOCKED}, so replicas
 * dispatch in parallel without overlap.
 *
 * <p>It also recovers jobs that JobRunr lost track of: a RUNNING job whose lease lapsed longer than
 * {@code genserve.jobs.orphan-after} ago (its replica died and no JobRunr server re-ran it) is dispatched again
 * under a new JobRunr id; the lease makes that harmless if its old run is still somewhere.
 */
@Component
public class JobDispatcher {

    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);
    private static final int BATCH = 20;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobScheduler scheduler;
    private final StorageProvider storage;
    private final Duration interval;
    private final Duration orphanAfter;
    private final ScheduledExecutorService thread = DaemonThreads.scheduler("job-dispatcher");
    private final AtomicBoolean kicked = new AtomicBoolean();
    private volatile boolean started;

    public JobDispatcher(JdbcTemplate jdbc, TransactionTemplate tx, JobScheduler scheduler, StorageProvider storage,
            @Value("${genserve.jobs.dispatch-interval:1s}") Duration interval,
            @Value("${genserve.jobs.orphan-after:2m}") Duration orphanAfter) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.scheduler = scheduler;
        this.storage = storage;
        this.interval = interval;
        this.orphanAfter = orphanAfter;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        started = true;
        thread.scheduleWithFixedDelay(this::runSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Dispatches soon, without waiting for the next interval (called after a submission commits). */
    public void kick() {
        if (started && kicked.compareAndSet(false, true)) {
            thread.execute(() -> {
                kicked.set(false);
                runSafely();
            });
        }
    }

    @PreDestroy
    public void stop() {
        thread.shutdownNow();
    }

    private void runSafely() {
        try {
            recoverOrphans();
            while (dispatchBatch() == BATCH) {
                // more waiting
            }
        } catch (RuntimeException e) {
            log.warn("Dispatching training jobs to JobRunr failed (retried in {}): {}", interval, e.toString());
        }
    }

    /** Hands one batch of undispatched jobs to JobRunr; returns how many. */
    public int dispatchBatch() {
        Integer done = tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList("select id, jobrunr_job_id from training_job"
                    + " where dispatched_at is null and status in ('QUEUED', 'RUNNING') order by created_at"
                    + " limit " + BATCH + " for update skip locked");
            for (Map<String, Object> row : rows) {
                UUID id = (UUID) row.get("id");
                UUID jobrunrId = row.get("jobrunr_job_id") == null ? id : (UUID) row.get("jobrunr_job_id");
                enqueue(jobrunrId, id);
                jdbc.update("update training_job set dispatched_at = now(), jobrunr_job_id = ? where id = ?", jobrunrId, id);
            }
            return rows.size();
        });
        return done == null ? 0 : done;
    }

    private void enqueue(UUID jobrunrId, UUID jobId) {
        try {
            scheduler.<TrainingJobRunner>enqueue(jobrunrId, runner -> runner.run(jobId));
        } catch (RuntimeException e) {
            if (!exists(jobrunrId)) {
                throw e;
            }
            // enqueued before, by a dispatch that crashed before marking the row: nothing to do
        }
    }

    private boolean exists(UUID jobrunrId) {
        try {
            storage.getJobById(jobrunrId);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Marks RUNNING jobs whose lease lapsed long ago for dispatch under a new JobRunr id; returns how many. */
    public int recoverOrphans() {
        int n = jdbc.update("update training_job set dispatched_at = null, jobrunr_job_id = gen_random_uuid(),"
                + " updated_at = now() where status = 'RUNNING' and dispatched_at is not null"
                + " and coalesce(lease_expires_at, updated_at) < now() - ? * interval '1 millisecond'", orphanAfter.toMillis());
        if (n > 0) {
            log.warn("{} running job(s) had no live lease for {}: handing them to JobRunr again", n, orphanAfter);
        }
        return n;
    }
}
