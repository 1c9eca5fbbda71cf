package dev.genserve.config;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads for the service's background work (dispatch, lease renewal, sweeps, probes, computations). */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Threads called {@code name} (or {@code name-1}, {@code name-2}, ... when {@code numbered}). */
    public static ThreadFactory named(String name, boolean numbered) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, numbered ? name + "-" + count.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A single daemon thread that runs scheduled tasks. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name, false));
    }
}
