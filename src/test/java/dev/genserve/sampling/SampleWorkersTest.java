package dev.genserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.errors.ServiceBusyException;
import dev.genserve.generative.Interruptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulkhead, its deadlines and cancellation stop the work itself (the loop's thread), not only the answer; every
 * task releases what it holds exactly once; shutdown with a running task completes within its grace period.
 */
class SampleWorkersTest {

    private SampleWorkers workers;

    private SampleWorkers workers(int concurrent, int queued, Duration deadline, Duration grace) {
        workers = new SampleWorkers("test", concurrent, queued, deadline, grace);
        workers.start();
        return workers;
    }

    @AfterEach
    void stop() {
        if (workers != null && workers.isRunning()) {
            workers.stop();
        }
    }

    /** A computation like the core's step loops: runs until its thread is interrupted, and says when it stopped. */
    private static Integer loopUntilInterrupted(CountDownLatch started, CountDownLatch stopped) {
        started.countDown();
        try {
            while (true) {
                Interruptions.check();
                Thread.onSpinWait();
            }
        } finally {
            stopped.countDown();
        }
    }

    @Test
    void theDeadlineStopsTheLoopAndAnswers503() throws Exception {
        workers(1, 1, Duration.ofMillis(300), Duration.ofSeconds(1));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        long t0 = System.nanoTime();
        var task = workers.submit(() -> loopUntilInterrupted(started, stopped), released::incrementAndGet);
        assertThatThrownBy(() -> task.result().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ServiceBusyException.class).hasMessageContaining("deadline");
        assertThat(stopped.await(2, TimeUnit.SECONDS)).as("the loop itself stopped").isTrue();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3);
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).as("released once the loop itself has returned").isEqualTo(1);
    }

    @Test
    void cancelStopsTheLoop() throws Exception {
        workers(1, 1, Duration.ofMinutes(5), Duration.ofSeconds(1));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        var task = workers.submit(() -> loopUntilInterrupted(started, stopped), released::incrementAndGet);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        task.cancel();
        assertThat(stopped.await(2, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> task.result().get()).cause().isInstanceOf(ServiceBusyException.class)
                .hasMessageContaining("cancelled");
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).isEqualTo(1);
    }

    @Test
    void aCancelledTaskReleasesOnlyOnceItsWorkHasReturned() throws Exception {
        workers(1, 1, Duration.ofMinutes(5), Duration.ofSeconds(1));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finishing = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        var task = workers.submit(() -> {
            try {
                return loopUntilInterrupted(started, new CountDownLatch(1));
            } finally {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (finishing.getCount() > 0 && System.nanoTime() < until) {
                    Thread.onSpinWait(); // still inside its last native step, which no interrupt stops
                }
            }
        }, released::incrementAndGet);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        task.cancel();
        assertThat(task.result().isCompletedExceptionally()).as("answered at once").isTrue();
        Thread.sleep(100);
        assertThat(released.get()).as("the model must not be freed under a computation still using it").isZero();
        finishing.countDown();
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).isEqualTo(1);
    }

    @Test
    void aFullBulkheadRefusesAtOnceAndTheCallerKeepsWhatItHolds() throws Exception {
        workers(1, 1, Duration.ofMinutes(5), Duration.ofSeconds(1));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(2);
        AtomicInteger released = new AtomicInteger();
        var running = workers.submit(() -> loopUntilInterrupted(started, stopped), released::incrementAndGet);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        var queued = workers.submit(() -> loopUntilInterrupted(new CountDownLatch(1), stopped), released::incrementAndGet);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> workers.submit(() -> 1, released::incrementAndGet))
                .isInstanceOf(ServiceBusyException.class).hasMessageContaining("1 running, 1 waiting")
                .satisfies(e -> assertThat(((ServiceBusyException) e).retryAfterSeconds()).isPositive());
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1);
        assertThat(released.get()).as("a refused task releases nothing: the caller still owns it").isZero();
        queued.cancel();
        running.cancel();
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).isEqualTo(2);
    }

    @Test
    void shutdownWithARunningTaskCompletesWithinItsGrace() throws Exception {
        workers(1, 4, Duration.ofMinutes(5), Duration.ofMillis(500));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger released = new AtomicInteger();
        var running = workers.submit(() -> loopUntilInterrupted(started, stopped), released::incrementAndGet);
        var waiting = workers.submit(() -> 42, released::incrementAndGet);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        long t0 = System.nanoTime();
        workers.stop();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
        assertThat(stopped.await(2, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> running.result().get(1, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ServiceBusyException.class).hasMessageContaining("shutting down");
        assertThat(waiting.result().isDone()).as("a task that never started is answered too").isTrue();
        assertThat(released.get()).isEqualTo(2);
        assertThatThrownBy(() -> workers.submit(() -> 1, () -> { })).isInstanceOf(ServiceBusyException.class);
    }

    @Test
    void aTaskThatFinishesIsAnsweredAndReleasedOnce() throws Exception {
        workers(2, 2, Duration.ofSeconds(10), Duration.ofSeconds(1));
        AtomicInteger released = new AtomicInteger();
        assertThat(workers.submit(() -> 7, released::incrementAndGet).result().get(5, TimeUnit.SECONDS)).isEqualTo(7);
        var failing = workers.submit(() -> {
            throw new IllegalStateException("boom");
        }, released::incrementAndGet);
        assertThatThrownBy(() -> failing.result().get(5, TimeUnit.SECONDS)).cause().hasMessage("boom");
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).isEqualTo(2);
    }

    private boolean awaitIdle() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (workers.inFlight() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
