package dev.genserve.jobs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link JobLeases} of a replica that a test can pause at a chosen point of a run: at a progress write (the worker
 * blocks, as in a long GC or I/O stall), or at the publish (before or after taking the job's row lock). A "frozen"
 * pause blocks the lease renewals too, as when the whole process is stopped (SIGSTOP); otherwise only the worker
 * waits. Everything else is the real lease code.
 */
class PausableLeases extends JobLeases {

    /** Where to pause next, once. */
    enum At { PROGRESS, BEFORE_PUBLISH_LOCK, AFTER_PUBLISH_LOCK }

    private volatile At at;
    private volatile IntPredicate atStep = s -> true;
    private volatile boolean freezeRenewals;
    private volatile boolean frozen;
    private volatile CountDownLatch paused = new CountDownLatch(1);
    private volatile CountDownLatch resume = new CountDownLatch(1);
    private final Object gate = new Object();

    PausableLeases(JdbcTemplate jdbc, TransactionTemplate tx, Duration duration) {
        super(jdbc, tx, duration);
    }

    /** Arms the next pause. */
    void pauseAt(At where, IntPredicate step, boolean freezeWholeProcess) {
        paused = new CountDownLatch(1);
        resume = new CountDownLatch(1);
        atStep = step;
        freezeRenewals = freezeWholeProcess;
        at = where;
    }

    boolean awaitPaused(Duration timeout) throws InterruptedException {
        return paused.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void resume() {
        resume.countDown();
    }

    private void pauseIf(At where, int step) {
        if (at != where || !atStep.test(step)) {
            return;
        }
        at = null;
        frozen = true;
        paused.countDown();
        try {
            resume.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            frozen = false;
            synchronized (gate) {
                gate.notifyAll();
            }
        }
    }

    @Override
    public boolean renew(JobLease lease) {
        synchronized (gate) {
            while (frozen && freezeRenewals) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return super.renew(lease);
    }

    @Override
    public boolean progress(JobLease lease, int step, Double loss, Double emaLoss, Double stepsPerSecond, Double eta,
            String lossHistory) {
        pauseIf(At.PROGRESS, step);
        return super.progress(lease, step, loss, emaLoss, stepsPerSecond, eta, lossHistory);
    }

    @Override
    public boolean lockForPublish(JobLease lease) {
        pauseIf(At.BEFORE_PUBLISH_LOCK, 0);
        boolean held = super.lockForPublish(lease);
        pauseIf(At.AFTER_PUBLISH_LOCK, 0);
        return held;
    }

    /** Puts the pausable leases in place of the real ones. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Config {
        @Bean
        @Primary
        PausableLeases pausableLeases(JdbcTemplate jdbc, TransactionTemplate tx,
                @Value("${genserve.jobs.lease-duration:20s}") Duration duration) {
            return new PausableLeases(jdbc, tx, duration);
        }
    }
}
