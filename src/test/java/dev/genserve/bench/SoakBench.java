package dev.genserve.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The issue-16 soak: the real service as a child JVM (embedded PostgreSQL, artifacts in a temp dir, a fixed
 * pre-touched heap so that RSS growth is native or metaspace growth), {@code soak.jobs} training jobs of
 * {@code soak.steps} steps submitted over HTTP (drifting, diffusion and attractor in turn, on three built-in toys,
 * {@code soak.models} model names per family so that versions pile up and the model cache keeps loading and
 * evicting), and {@code soak.samples} sample requests from {@code soak.clients} concurrent clients, spread over the
 * jobs (after job k, at most k/jobs of them have been sent). The child's VmRSS ({@code /proc/<pid>/status}) is
 * sampled every second into {@code rss.csv}; {@code rss.png} is the curve. Verdict: RSS at the end over RSS after job
 * {@code soak.baselineJob} (10); the goal is at most 1.10.
 *
 * <p>Run (docs/benchmarks.md): {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * -Dai.djl.pytorch.num_threads=1 dev.genserve.bench.SoakBench}. Properties: {@code soak.jobs} (100),
 * {@code soak.steps} (200), {@code soak.samples} (50000), {@code soak.clients} (4), {@code soak.models} (4),
 * {@code soak.rows} (2000), {@code soak.heap} (512m), {@code soak.baselineJob} (10), {@code soak.out}
 * (target/soak), {@code soak.env} (extra environment of the child, e.g. {@code MALLOC_ARENA_MAX=2}, comma
 * separated; by default the child gets none beyond this JVM's), {@code soak.nmt} (true: native memory tracking
 * summaries at the baseline and at the end, to tell JVM growth from libtorch/glibc growth).
 */
public final class SoakBench {

    private static final String[] FAMILIES = {"drifting", "diffusion", "attractor"};
    private static final String[] TOYS = {"eight-gaussians", "moons", "rings"};

    private final int jobs = Integer.getInteger("soak.jobs", 100);
    private final int steps = Integer.getInteger("soak.steps", 200);
    private final long samples = Long.getLong("soak.samples", 50_000);
    private final int clients = Integer.getInteger("soak.clients", 4);
    private final int modelsPerFamily = Integer.getInteger("soak.models", 4);
    private final int rows = Integer.getInteger("soak.rows", 2000);
    private final String heap = System.getProperty("soak.heap", "512m");
    private final int baselineJob = Integer.getInteger("soak.baselineJob", 10);
    private final Path out = Path.of(System.getProperty("soak.out", "target/soak"));
    private final Map<String, String> env = parseEnv(System.getProperty("soak.env", ""));
    private final boolean nmt = Boolean.parseBoolean(System.getProperty("soak.nmt", "true"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger jobsDone = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> sampleable = new CopyOnWriteArrayList<>();
    private final List<double[]> curve = new CopyOnWriteArrayList<>(); // seconds, RSS MiB, jobs done, samples ok
    private volatile boolean stopClients;

    private SoakBench() {}

    public static void main(String[] args) throws Exception {
        new SoakBench().run();
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        Path tmp = Files.createTempDirectory("genserve-soak-");
        System.out.printf(Locale.ROOT, "# SoakBench jobs=%d steps=%d samples=%d clients=%d models=%d×%d rows=%d "
                + "heap=%s env=%s threads=%s nproc=%d load=%s%n", jobs, steps, samples, clients, modelsPerFamily,
                FAMILIES.length, rows, heap, env, System.getProperty("ai.djl.pytorch.num_threads", "(default)"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Process server = null;
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService clientPool = Executors.newFixedThreadPool(clients);
        try (BufferedWriter csv = Files.newBufferedWriter(out.resolve("rss.csv"), StandardCharsets.UTF_8)) {
            int port = ServiceLoad.freePort();
            String base = "http://127.0.0.1:" + port;
            List<String> jvm = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"));
            if (nmt) {
                jvm.add("-XX:NativeMemoryTracking=summary");
            }
            server = ServiceLoad.launch(tmp, port, out.resolve("service.log"), jvm, env);
            long pid = server.pid();
            ServiceLoad.awaitHealthy(http, server, base);
            long t0 = System.nanoTime();
            csv.write("seconds,rss_mib,jobs_done,samples_ok\n");
            sampler.scheduleAtFixedRate(() -> {
                double[] point = {(System.nanoTime() - t0) / 1e9, ServiceLoad.rssKb(pid) / 1024.0, jobsDone.get(),
                        ok.get()};
                curve.add(point);
                try {
                    csv.write(String.format(Locale.ROOT, "%.1f,%.1f,%d,%d%n", point[0], point[1], (long) point[2],
                            (long) point[3]));
                    csv.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 0, 1, TimeUnit.SECONDS);
            double rssHealthy = ServiceLoad.rssKb(pid) / 1024.0;

            String[] datasets = new String[TOYS.length];
            for (int i = 0; i < TOYS.length; i++) {
                datasets[i] = ServiceHttp.extract(ServiceHttp.ID, post(base + "/api/v1/datasets", "{\"builtin\":\"" + TOYS[i] + "\",\"n\":"
                        + rows + ",\"name\":\"soak-" + TOYS[i] + "\"}", 201));
            }
            for (int c = 0; c < clients; c++) {
                long seed = 1000 + c;
                clientPool.submit(() -> client(base, seed));
            }

            double[] rssAfterJob = new double[jobs + 1];
            double[] secondsAfterJob = new double[jobs + 1];
            String pending = null;
            int pendingIndex = -1;
            for (int i = 0; i <= jobs; i++) {
                String next = i < jobs ? submit(base, i, datasets[i % datasets.length]) : null;
                if (pending != null) { // one job queued behind the running one hides JobRunr's poll interval
                    awaitJob(base, pending);
                    jobsDone.incrementAndGet();
                    String model = modelName(pendingIndex);
                    if (!sampleable.contains(model)) {
                        sampleable.add(model);
                    }
                    rssAfterJob[pendingIndex + 1] = ServiceLoad.rssKb(pid) / 1024.0;
                    secondsAfterJob[pendingIndex + 1] = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "[soak] job %d/%d done at %.0f s: RSS %.1f MiB, samples %d ok, "
                            + "%d failed%n", pendingIndex + 1, jobs, secondsAfterJob[pendingIndex + 1],
                            rssAfterJob[pendingIndex + 1], ok.get(), failed.get());
                    if (pendingIndex + 1 == baselineJob && nmt) {
                        jcmd(pid, "VM.native_memory", "baseline");
                    }
                }
                pending = next;
                pendingIndex = i;
            }
            while (ok.get() + failed.get() < samples) {
                Thread.sleep(200);
            }
            stopClients = true;
            clientPool.shutdown();
            clientPool.awaitTermination(2, TimeUnit.MINUTES);
            Thread.sleep(3000); // the last requests' buffers returned
            double rssEnd = ServiceLoad.rssKb(pid) / 1024.0;
            double secondsEnd = (System.nanoTime() - t0) / 1e9;
            if (nmt) {
                Files.writeString(out.resolve("nmt-diff.txt"), jcmd(pid, "VM.native_memory", "summary.diff"));
            }
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);

            int b = Math.min(baselineJob, jobs);
            double ratio = rssEnd / rssAfterJob[b];
            double maxRss = curve.stream().mapToDouble(p -> p[1]).max().orElse(Double.NaN);
            String verdict = ratio <= 1.10 ? "met" : "NOT met";
            String summary = String.format(Locale.ROOT, "SOAK RSS: healthy %.1f MiB, after job %d %.1f MiB (%.0f s), "
                    + "after job %d %.1f MiB, end %.1f MiB (%.0f s), max %.1f MiB; end / after job %d = %.3f (goal ≤ "
                    + "1.10: %s); %d jobs, %d samples ok, %d failed", rssHealthy, b, rssAfterJob[b],
                    secondsAfterJob[b], jobs, rssAfterJob[jobs], rssEnd, secondsEnd, maxRss, b, ratio, verdict, jobs,
                    ok.get(), failed.get());
            System.out.println(summary);
            Files.writeString(out.resolve("summary.txt"), summary + "\n");
            plot(rssAfterJob[b], secondsAfterJob[b], secondsEnd, b);
        } finally {
            stopClients = true;
            clientPool.shutdownNow();
            sampler.shutdownNow();
            if (server != null) {
                ServiceLoad.stop(server);
            }
            ServiceLoad.deleteTree(tmp);
        }
    }

    private void plot(double baseline, double baselineSeconds, double endSeconds, int b) {
        double[] x = curve.stream().mapToDouble(p -> p[0] / 60).toArray();
        double[] y = curve.stream().mapToDouble(p -> p[1]).toArray();
        List<Plot.Series> series = List.of(
                Plot.Series.of("VmRSS", x, y),
                Plot.Series.horizontal("after job " + b, baselineSeconds / 60, endSeconds / 60, baseline),
                Plot.Series.horizontal("+10 % limit", baselineSeconds / 60, endSeconds / 60, baseline * 1.10));
        Plot.lines(out.resolve("rss.png"), String.format(Locale.ROOT, "service RSS: %d jobs × %d steps, %d sample "
                + "requests", jobs, steps, samples), "minutes", "MiB", false, false, series);
        System.out.println("[soak] wrote " + out.resolve("rss.png") + " and " + out.resolve("rss.csv"));
    }

    private String modelName(int job) {
        return "soak-" + FAMILIES[job % FAMILIES.length] + "-" + (job / FAMILIES.length) % modelsPerFamily;
    }

    private String submit(String base, int job, String dataset) throws IOException, InterruptedException {
        String family = FAMILIES[job % FAMILIES.length];
        String config = switch (family) {
            case "attractor" -> "{\"steps\":" + steps + ",\"hidden\":128,\"depth\":2,\"seed\":" + job + "}";
            default -> "{\"steps\":" + steps + ",\"hidden\":128,\"depth\":3,\"seed\":" + job + "}";
        };
        return ServiceHttp.extract(ServiceHttp.ID, post(base + "/api/v1/jobs", "{\"model\":\"" + modelName(job) + "\",\"family\":\"" + family
                + "\",\"dataset\":\"" + dataset + "\",\"config\":" + config + "}", 202, 201));
    }

    /** Sends sample requests, never more than the jobs done so far allow, until all are sent. */
    private void client(String base, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try {
            while (!stopClients) {
                long allowed = jobsDone.get() >= jobs ? samples : samples * (jobsDone.get() + 1) / (jobs + 1);
                if (sampleable.isEmpty() || sent.get() >= allowed) {
                    if (sent.get() >= samples) {
                        return;
                    }
                    Thread.sleep(20);
                    continue;
                }
                if (sent.incrementAndGet() > samples) {
                    return;
                }
                String model = sampleable.get(random.nextInt(sampleable.size()));
                String body = model.contains("drifting") ? "{\"n\":100,\"seed\":" + random.nextInt(1000) + "}"
                        : "{\"n\":100,\"steps\":20,\"seed\":" + random.nextInt(1000) + "}";
                HttpResponse<String> r = send(base + "/api/v1/models/" + model + "/versions/latest/samples", body);
                if (r.statusCode() == 200) {
                    ok.incrementAndGet();
                } else if (failed.incrementAndGet() <= 5) {
                    System.out.println("[soak] sample request for " + model + " → " + r.statusCode() + ": "
                            + r.body().substring(0, Math.min(300, r.body().length())));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failed.incrementAndGet();
            System.out.println("[soak] client stopped: " + e);
        }
    }

    private static String jcmd(long pid, String... command) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "jcmd failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Map<String, String> parseEnv(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return m;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private String post(String url, String json, int... expected) throws IOException, InterruptedException {
        return ServiceHttp.post(http, url, json, Duration.ofSeconds(120), expected);
    }

    private HttpResponse<String> send(String url, String json) throws IOException, InterruptedException {
        return ServiceHttp.send(http, url, json, Duration.ofSeconds(120));
    }

    private void awaitJob(String base, String jobId) throws IOException, InterruptedException {
        ServiceHttp.awaitJob(http, base, jobId, 250);
    }
}
