package dev.genserve.jobs;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every write a running job makes to its {@code training_job} row, each conditional on the lease: the claim takes the
 * row lock, checks that no other replica holds a live lease, and increments the fencing token; progress, renewal,
 * the end and the publish check all match on that token, so a replica that was paused while another took the job
 * over finds 0 rows and stops. Public and non-final so that tests can stand in for a stalled replica.
 */
@Component
public class JobLeases {

    /** What a claim found. */
    public enum Outcome { RUN, ENDED, HELD, GONE }

    /**
     * The result of a claim: a lease to run with (and whether this is a resume), or the end state, or who holds it.
     */
    public record Claim(Outcome outcome, JobLease lease, boolean resumed, String status, String holder) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Duration duration;

    public JobLeases(JdbcTemplate jdbc, TransactionTemplate tx,
            @Value("${genserve.jobs.lease-duration:20s}") Duration duration) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.duration = duration;
    }

    public Duration duration() {
        return duration;
    }

    /**
     * Claims a job for {@code owner}: a QUEUED job, or a RUNNING one whose lease lapsed (its replica died or stalled),
     * is moved to RUNNING with a new token. A cancelled-before-start job is ended here.
     */
    public Claim claim(UUID jobId, String owner) {
        return tx.execute(status -> {
            jdbc.execute("set local lock_timeout = '5s'");
            List<Map<String, Object>> rows = jdbc.queryForList("select status, cancel_requested, lease_owner,"
                    + " (lease_expires_at is not null and lease_expires_at > now()) as live from training_job where id = ?"
                    + " for update", jobId);
            if (rows.isEmpty()) {
                return new Claim(Outcome.GONE, null, false, null, null);
            }
            Map<String, Object> row = rows.get(0);
            String state = (String) row.get("status");
            if (JobStatus.valueOf(state).isTerminal()) {
                return new Claim(Outcome.ENDED, null, false, state, (String) row.get("lease_owner"));
            }
            if (Boolean.TRUE.equals(row.get("cancel_requested"))) {
                jdbc.update("update training_job set status = 'CANCELLED', finished_at = now(), updated_at = now(),"
                        + " lease_expires_at = null where id = ?", jobId);
                return new Claim(Outcome.ENDED, null, false, JobStatus.CANCELLED.name(), (String) row.get("lease_owner"));
            }
            boolean running = JobStatus.RUNNING.name().equals(state);
            if (running && Boolean.TRUE.equals(row.get("live"))) {
                return new Claim(Outcome.HELD, null, false, state, (String) row.get("lease_owner"));
            }
            Long token = jdbc.queryForObject("update training_job set status = 'RUNNING', lease_owner = ?,"
                    + " lease_token = lease_token + 1, lease_expires_at = now() + ? * interval '1 millisecond',"
                    + " started_at = coalesce(started_at, now()), resume_count = resume_count + ?, updated_at = now()"
                    + " where id = ? returning lease_token", Long.class, owner, duration.toMillis(), running ? 1 : 0, jobId);
            return new Claim(Outcome.RUN, new JobLease(jobId, owner, token), running, JobStatus.RUNNING.name(), owner);
        });
    }

    /** Extends the lease; false when it is no longer this replica's. */
    public boolean renew(JobLease lease) {
        return jdbc.update("update training_job set lease_expires_at = now() + ? * interval '1 millisecond'"
                + " where id = ? and lease_token = ? and status = 'RUNNING'", duration.toMillis(), lease.jobId(),
                lease.token()) == 1;
    }

    /** Writes progress (and renews the lease); false when the lease is lost. */
    public boolean progress(JobLease lease, int step, Double loss, Double emaLoss, Double stepsPerSecond, Double eta,
            String lossHistory) {
        return jdbc.update("update training_job set step = ?, loss = ?, ema_loss = ?, steps_per_second = ?, eta_seconds = ?,"
                        + " loss_history = cast(? as jsonb), lease_expires_at = now() + ? * interval '1 millisecond',"
                        + " updated_at = ? where id = ? and lease_token = ? and status = 'RUNNING'",
                step, loss, emaLoss, stepsPerSecond, eta, lossHistory, duration.toMillis(), Timestamp.from(Instant.now()),
                lease.jobId(), lease.token()) == 1;
    }

    /** The job's state as its runner sees it: whether a cancel was asked for, and whether the lease is still held. */
    public record Poll(boolean held, boolean cancelRequested) {}

    public Poll poll(JobLease lease) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select cancel_requested, lease_token, status from training_job where id = ?", lease.jobId());
        if (rows.isEmpty()) {
            return new Poll(false, false);
        }
        Map<String, Object> row = rows.get(0);
        boolean held = ((Number) row.get("lease_token")).longValue() == lease.token() && "RUNNING".equals(row.get("status"));
        return new Poll(held, Boolean.TRUE.equals(row.get("cancel_requested")));
    }

    /** Whether the lease is still this replica's (checked before every checkpoint). */
    public boolean holds(JobLease lease) {
        return poll(lease).held();
    }

    /**
     * Records the step this attempt starts from (its checkpoint's, or 0): the row's step is set back to it, so that from
     * here on it only grows, and a resumed start is shown as {@code resumed_from_step}.
     */
    public void startsAt(JobLease lease, int step) {
        jdbc.update("update training_job set step = ?, resumed_from_step = case when ? > 0 then ? else resumed_from_step end,"
                + " updated_at = now() where id = ? and lease_token = ? and status = 'RUNNING'",
                step, step, step, lease.jobId(), lease.token());
    }

    /** Ends the job (FAILED or CANCELLED); false when the lease was lost (someone else ends it). */
    public boolean end(JobLease lease, JobStatus status, String error) {
        return jdbc.update("update training_job set status = ?, error = ?, finished_at = now(), updated_at = now(),"
                + " eta_seconds = null, lease_expires_at = null where id = ? and lease_token = ? and status = 'RUNNING'",
                status.name(), error, lease.jobId(), lease.token()) == 1;
    }

    /** Lets the lease lapse now, so that another replica can take the job over at once (this one is stopping). */
    public void release(JobLease lease) {
        jdbc.update("update training_job set lease_expires_at = now() where id = ? and lease_token = ? and status = 'RUNNING'",
                lease.jobId(), lease.token());
    }

    /**
     * Inside the publishing transaction: locks the job row and checks the lease. While this transaction lasts no
     * other replica can claim the job, so what it writes is the one result of the job.
     */
    public boolean lockForPublish(JobLease lease) {
        jdbc.execute("set local lock_timeout = '10s'");
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select lease_token, status from training_job where id = ? for update", lease.jobId());
        return !rows.isEmpty() && ((Number) rows.get(0).get("lease_token")).longValue() == lease.token()
                && "RUNNING".equals(rows.get(0).get("status"));
    }

    /** Inside the publishing transaction, after {@link #lockForPublish}: the job succeeded with this version. */
    public void succeed(JobLease lease, UUID versionId) {
        int rows = jdbc.update("update training_job set status = 'SUCCEEDED', model_version_id = ?, step = total_steps,"
                + " finished_at = now(), updated_at = now(), eta_seconds = 0, lease_expires_at = null"
                + " where id = ? and lease_token = ? and status = 'RUNNING'", versionId, lease.jobId(), lease.token());
        if (rows != 1) {
            throw new LeaseLostException(lease);
        }
    }
}
