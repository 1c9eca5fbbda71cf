package dev.genserve.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Sets the DJL system properties that must be in place before {@code ai.djl.engine.Engine} is first touched.
 *
 * <p>Called from {@code GenserveApplication.main} and again (through {@link DjlEnvironmentPostProcessor}) for every
 * {@code SpringApplication}, tests included, so that values from {@code application.yml} count as well. Calling it
 * twice is harmless: a property that is already set by the user ({@code -D...}) is never overwritten.
 *
 * <p>Never sets {@code PYTORCH_VERSION} or {@code PYTORCH_FLAVOR}: either one makes DJL download libtorch.
 */
public final class DjlBootstrap {

    public static final String OFFLINE = "ai.djl.offline";
    public static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";
    public static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
    public static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    private DjlBootstrap() {
    }

    /** Applies the defaults from the process environment ({@code GENSERVE_DJL_*}) and system properties. */
    public static synchronized Map<String, String> applyBeforeEngineLoads() {
        return apply(key -> {
            String sys = System.getProperty(key);
            if (sys != null && !sys.isBlank()) {
                return sys;
            }
            String env = System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_'));
            return env == null || env.isBlank() ? null : env;
        });
    }

    /**
     * Applies the settings using {@code lookup} to read {@code genserve.djl.offline} and {@code genserve.djl.threads}.
     *
     * @return the DJL system properties this call set (empty when all were already present)
     */
    public static synchronized Map<String, String> apply(UnaryOperator<String> lookup) {
        return apply(lookup, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Intra-op threads when {@code genserve.djl.threads} is not set: 1 on a machine of at most 2 cores, else
     * {@code null} (PyTorch's default, one per core). On 2 cores the service trains and samples at once, and two
     * intra-op threads per op then fight over the cores: {@code ThreadBench} measured the MLP 3×256 step and a conv
     * drifting step several times slower with 2 threads than with 1 once the other core is busy (docs/benchmarks.md).
     * Larger machines were not measured, so they keep PyTorch's default.
     */
    static Integer defaultThreads(int cores) {
        return cores <= 2 ? 1 : null;
    }

    static synchronized Map<String, String> apply(UnaryOperator<String> lookup, int cores) {
        Map<String, String> applied = new LinkedHashMap<>();
        String offline = lookup.apply("genserve.djl.offline");
        boolean online = offline != null && offline.trim().equalsIgnoreCase("false");
        setIfAbsent(OFFLINE, online ? "false" : "true", applied);
        setIfAbsent(GRAPH_OPTIMIZER, "false", applied);
        String threads = lookup.apply("genserve.djl.threads");
        if (threads != null && !threads.isBlank()) {
            int n;
            try {
                n = Integer.parseInt(threads.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("genserve.djl.threads / GENSERVE_DJL_THREADS must be a positive integer, got '"
                        + threads + "'", e);
            }
            if (n < 1) {
                throw new IllegalArgumentException("genserve.djl.threads / GENSERVE_DJL_THREADS must be >= 1, got " + n);
            }
            setThreads(n, applied);
        } else if (defaultThreads(cores) != null) {
            setThreads(defaultThreads(cores), applied);
        }
        return applied;
    }

    private static void setThreads(int n, Map<String, String> applied) {
        setIfAbsent(NUM_THREADS, Integer.toString(n), applied);
        setIfAbsent(NUM_INTEROP_THREADS, Integer.toString(Math.max(1, Math.min(n, 2))), applied);
    }

    private static void setIfAbsent(String key, String value, Map<String, String> applied) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
            applied.put(key, value);
        }
    }
}
