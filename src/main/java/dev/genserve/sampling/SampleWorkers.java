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
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
            }
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    private final String name;
    private final Duration deadline;
    private final Duration shutdownGrace;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timers;
    private final java.util.Set<Task<?>> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public SampleWorkers(String name, int maxConcurrent, int maxQueued, Duration deadline, Duration shutdownGrace) {
        this.name = name;
        this.deadline = deadline;
        this.shutdownGrace = shutdownGrace;
        int threads = Math.max(1, maxConcurrent);
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, maxQueued)), DaemonThreads.named(name, true),
                new ThreadPoolExecutor.AbortPolicy());
        this.timers = DaemonThreads.scheduler(name + "-deadlines");
    }

    public Duration deadline() {
        return deadline;
    }

    /**
     * Queues {@code work}; {@code release} runs exactly once when the task is over, whether it ran, failed or was
     * cancelled. Throws {@link ServiceBusyException} when the queue is full or shutting down (then {@code release}
     * is not run: the caller still owns what it would release).
     */
    public <T> Task<T> submit(Callable<T> work, Runnable release) {
        Task<T> task = new Task<>();
        FutureTask<Void> future = new FutureTask<>(() -> {
            try {
                if (!task.result.isDone()) {
                    task.result.complete(work.call());
                }
            } catch (Throwable t) {
                task.result.completeExceptionally(t);
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
        live.add(task);
        task.result.whenComplete((v, e) -> {
            live.remove(task);
            release.run();
        });
        task.timer = timers.schedule(() -> task.stop(new ServiceBusyException("deadline-exceeded", "The request was still "
                + "computing after its deadline of " + deadline.toSeconds() + " s and was cancelled; ask for less work "
                + "(fewer samples or steps) or retry when the service is less busy.", 5)), deadline.toMillis(),
                TimeUnit.MILLISECONDS);
        return task;
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
