package dev.genserve.sampling;

import dev.genserve.config.DaemonThreads;
import dev.genserve.errors.ServiceBusyException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The bulkhead and deadline for request-bound computations (samples, simulations): at most {@code maxConcurrent}
 * run at once on dedicated threads and {@code maxQueued} wait; beyond that a submission is refused at once
 * ({@link ServiceBusyException}, 503). Every task has a deadline counted from its submission (queueing included);
 * at the deadline, or when {@link Task#cancel} is called (the client went away), its thread is interrupted, which
 * the math core's loops check every step ({@code Interruptions}), so the work really stops.
 *
 * <p>A thread pool, not Resilience4j: its thread-pool bulkhead and time limiter complete {@link CompletableFuture}s,
 * and cancelling those never interrupts the thread that runs the native loop, which is what has to stop.
 *
 * <p>On shutdown (before the web server's graceful phase) new work is refused, running work gets
 * {@code shutdownGrace} to finish and is then interrupted, so that a long request never holds up a SIGTERM.
 */
public class SampleWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SampleWorkers.class);

    /** One submitted computation: its result, and a way to stop it. */
    public static final class Task<T> {

        private final CompletableFuture<T> result = new CompletableFuture<>();
        private volatile FutureTask<Void> running;
        private volatile ScheduledFuture<?> timer;
        /** Told when the task is stopped (a batch member leaving its batch); may be null. */
        private final Runnable onStop;

        private Task(Runnable onStop) {
            this.onStop = onStop;
        }

        public CompletableFuture<T> result() {
            return result;
        }

        /** Stops the computation (interrupting its thread if it runs); the result fails with reason "cancelled". */
        public void cancel() {
            stop(new ServiceBusyException("cancelled", "The request was cancelled before it finished: its client went "
                    + "away.", 1));
        }

        void stop(Throwable why) {
            if (result.completeExceptionally(why)) {
                FutureTask<Void> f = running;
                if (f != null) {
                    f.cancel(true);
                }
                if (onStop != null) {
                    onStop.run();
                }
            }
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    private final String name;
    private final int maxQueued;
    private final Duration deadline;
    private final Duration shutdownGrace;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timers;
    private final java.util.Set<Task<?>> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public SampleWorkers(String name, int maxConcurrent, int maxQueued, Duration deadline, Duration shutdownGrace) {
        this.name = name;
        this.maxQueued = Math.max(1, maxQueued);
        this.deadline = deadline;
        this.shutdownGrace = shutdownGrace;
        int threads = Math.max(1, maxConcurrent);
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, maxQueued)), DaemonThreads.named(name, true),
                new ThreadPoolExecutor.AbortPolicy());
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named(name + "-deadlines", false));
        // a finished task's timer leaves the queue at once, instead of holding the task and its answer until the
        // deadline would have passed
        deadlines.setRemoveOnCancelPolicy(true);
        this.timers = deadlines;
    }

    public Duration deadline() {
        return deadline;
    }

    /**
     * Queues {@code work}; {@code release} runs exactly once when the task is over, whether it ran, failed or was
     * cancelled: when the work itself has returned (a cancelled computation is answered at once but may still be
     * finishing a native step), or when the task is stopped before its work began. Throws
     * {@link ServiceBusyException} when the queue is full or shutting down (then {@code release} is not run: the
     * caller still owns what it would release).
     */
    public <T> Task<T> submit(Callable<T> work, Runnable release) {
        return submit(work, release, true);
    }

    /**
     * As {@link #submit(Callable, Runnable)}, for work shared by {@link #track tracked} tasks (a batch): it has no
     * deadline of its own, since its members have theirs (a member that joins later has a later one), and whoever
     * runs it stops it once no member waits any more.
     */
    public <T> Task<T> submitShared(Callable<T> work, Runnable release) {
        return submit(work, release, false);
    }

    private <T> Task<T> submit(Callable<T> work, Runnable release, boolean timed) {
        Task<T> task = new Task<>(null);
        // release once the work is really over: when its body ends (a cancelled body may still be inside a native step
        // when its answer is given), or at once if the task stops before its body began (the body then never runs)
        AtomicBoolean begun = new AtomicBoolean();
        FutureTask<Void> future = new FutureTask<>(() -> {
            if (!begun.compareAndSet(false, true)) {
                return null;
            }
            try {
                if (!task.result.isDone()) {
                    task.result.complete(work.call());
                }
            } catch (Throwable t) {
                task.result.completeExceptionally(t);
            } finally {
                release.run();
            }
            return null;
        });
        task.running = future;
        try {
            if (!running && pool.isShutdown()) {
                throw new RejectedExecutionException("shut down");
            }
            pool.execute(future);
        } catch (RejectedExecutionException e) {
            throw new ServiceBusyException("bulkhead-full", "The service is computing as many " + name
                    + " requests as it may (" + pool.getMaximumPoolSize() + " running, " + pool.getQueue().size()
                    + " waiting); retry shortly.", 1);
        }
        return watch(task, () -> {
            if (begun.compareAndSet(false, true)) {
                release.run();
            }
        }, timed);
    }

    /**
     * A task that this pool does not run: its computation is part of another one (a request merged into a batch, see
     * {@link SampleBatcher}), which completes its result. It has the deadline, shutdown and release of any task; when
     * it is cancelled or expires, {@code onStop} is told, so that the shared computation can drop it.
     */
    public <T> Task<T> track(Runnable onStop, Runnable release) {
        return watch(new Task<>(onStop), release, true);
    }

    private <T> Task<T> watch(Task<T> task, Runnable release, boolean timed) {
        live.add(task);
        task.result.whenComplete((v, e) -> {
            live.remove(task);
            ScheduledFuture<?> t = task.timer;
            if (t != null) {
                t.cancel(false);
            }
            release.run();
        });
        if (!timed) {
            return task;
        }
        task.timer = timers.schedule(() -> task.stop(new ServiceBusyException("deadline-exceeded", "The request was still "
                + "computing after its deadline of " + deadline.toSeconds() + " s and was cancelled; ask for less work "
                + "(fewer samples or steps) or retry when the service is less busy.", 5)), deadline.toMillis(),
                TimeUnit.MILLISECONDS);
        if (task.result.isDone()) {
            task.timer.cancel(false);
        }
        return task;
    }

    /** The most tasks that may wait for a thread. */
    public int maxQueued() {
        return maxQueued;
    }

    /** Tasks running or waiting. */
    public int inFlight() {
        return pool.getActiveCount() + pool.getQueue().size();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("Cancelling {} {} request(s) still running at shutdown", live.size(), name);
                for (Task<?> task : live) {
                    task.stop(new ServiceBusyException("shutting-down", "The service is shutting down; retry on "
                            + "another replica or after the restart.", 5));
                }
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server's graceful shutdown, so that it waits for no long computation. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
