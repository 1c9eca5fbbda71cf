package dev.genserve.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Section 5: the real service as a child JVM (so its RSS is its own), an embedded PostgreSQL and an artifact store
 * in a temp dir, a built-in dataset and a small model trained through the HTTP API, then the sample endpoint driven
 * by wrk over loopback (script {@code bench/samples.lua}). The child runs with a fixed, pre-touched heap
 * (-Xms=-Xmx, AlwaysPreTouch), so RSS growth between 1,000 and 10,000 requests is native or metaspace growth, not
 * the Java heap filling up.
 */
final class ServiceLoad {

    static final int[] CONCURRENCY = {1, 4, 16, 64};
    private static final Pattern WRK_JSON = Pattern.compile("BENCH_JSON (\\{.*})");

    private final BenchSettings settings;
    private final Path out;
    private final Report report;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServiceLoad(BenchSettings settings, Path out, Report report) {
        this.settings = settings;
        this.out = out;
        this.report = report;
    }

    /** wrk's result for one run. */
    record WrkResult(long requests, double seconds, double p50ms, double p90ms, double p99ms, long errors) {
        double rps() {
            return requests / seconds;
        }
    }

    void run() {
        Path wrk = findOnPath("wrk");
        if (wrk == null) {
            String msg = "wrk is not installed: the load test needs it (Debian/Ubuntu: `sudo apt-get install -y wrk`)."
                    + " Section skipped.";
            System.out.println("[bench] " + msg);
            report.line(msg + "\n");
            return;
        }
        Path tmp;
        try {
            tmp = Files.createTempDirectory("genserve-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process server = null;
        try {
            int port = freePort();
            String base = "http://127.0.0.1:" + port;
            metricsBase = base;
            server = start(tmp, port);
            long pid = server.pid();
            long t0 = System.nanoTime();
            awaitHealthy(server, base);
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            long rssStart = rssKb(pid);
            String datasetId = ServiceHttp.extract(ServiceHttp.ID, post(base + "/api/v1/datasets",
                    "{\"builtin\":\"eight-gaussians\",\"n\":10000,\"name\":\"bench-eight-gaussians\"}", 201));
            String family = null;
            String jobId = null;
            for (String candidate : List.of("drifting", "diffusion")) {
                HttpResponse<String> r = send(base + "/api/v1/jobs", "{\"model\":\"bench-" + candidate
                        + "\",\"family\":\"" + candidate + "\",\"dataset\":\"" + datasetId + "\",\"config\":{\"steps\":"
                        + settings.serviceTrainSteps() + ",\"hidden\":256,\"depth\":3}}");
                if (r.statusCode() == 202 || r.statusCode() == 201) {
                    family = candidate;
                    jobId = ServiceHttp.extract(ServiceHttp.ID, r.body());
                    break;
                }
                System.out.println("[bench] service: family " + candidate + " not accepted (" + r.statusCode() + "): "
                        + r.body());
            }
            if (family == null) {
                throw new IllegalStateException("the service accepted no training job (drifting, diffusion)");
            }
            long trainStart = System.nanoTime();
            awaitJob(base, jobId);
            double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
            String model = "bench-" + family;
            String body = family.equals("drifting") ? "{\"n\":100}" : "{\"n\":100,\"steps\":20}";
            String url = base + "/api/v1/models/" + model + "/versions/latest/samples";
            post(url, body, 200); // loads the model into the cache
            Path script = tmp.resolve("samples.lua");
            try (InputStream in = ServiceLoad.class.getResourceAsStream("/bench/samples.lua")) {
                Files.copy(in, script);
            }
            report.line("Child JVM `dev.genserve.GenserveApplication` on 127.0.0.1:" + port + " (heap 512 MiB, "
                    + "pre-touched), embedded PostgreSQL and artifacts in a temp dir, JobRunr dashboard off; healthy "
                    + String.format(Locale.ROOT, "%.1f", startSeconds) + " s after launch. Model `" + model + "` ("
                    + family + ", MLP 3×256, " + settings.serviceTrainSteps() + " steps on built-in eight-gaussians, "
                    + "10,000 rows) trained through `POST /api/v1/jobs` in "
                    + String.format(Locale.ROOT, "%.1f", trainSeconds) + " s. Load: wrk "
                    + "(`src/test/resources/bench/samples.lua`) POSTs `" + body + "` to `" + url.replace(base, "")
                    + "` (Accept: application/json). wrk runs on the same machine, so it takes CPU from the server.\n");

            // RSS after 1,000 and after N requests (wrk -t1 -c4, stopping after an exact count)
            long served = 0;
            WrkResult warm = wrk(wrk, script, url, body, 1, 4, 300, 1000);
            served += warm.requests();
            long rss1k = rssKb(pid);
            WrkResult more = wrk(wrk, script, url, body, 1, 4, 600, settings.loadRequests() - served);
            served += more.requests();
            long rssN = rssKb(pid);
            long servedAtN = served;

            report.line("### Latency and throughput vs concurrency\n");
            report.line("Each concurrency runs " + settings.repeats() + " × " + settings.loadSeconds() + " s "
                    + "(wrk threads = min(c, 2), timeout 10 s); median (min–max) over the runs.\n");
            report.line("| concurrency | requests/s | p50 ms | p90 ms | p99 ms | errors (all runs) |");
            report.line("|---|---|---|---|---|---|");
            List<Plot.Series> series = new ArrayList<>();
            double[] cs = new double[CONCURRENCY.length];
            Stats[] p50s = new Stats[CONCURRENCY.length];
            Stats[] p99s = new Stats[CONCURRENCY.length];
            Stats[] rpss = new Stats[CONCURRENCY.length];
            for (int i = 0; i < CONCURRENCY.length; i++) {
                int c = CONCURRENCY[i];
                double[] rps = new double[settings.repeats()];
                double[] p50 = new double[rps.length];
                double[] p90 = new double[rps.length];
                double[] p99 = new double[rps.length];
                long errors = 0;
                for (int r = 0; r < rps.length; r++) {
                    WrkResult w = wrk(wrk, script, url, body, Math.min(c, 2), c, settings.loadSeconds(), 0);
                    served += w.requests();
                    rps[r] = w.rps();
                    p50[r] = w.p50ms();
                    p90[r] = w.p90ms();
                    p99[r] = w.p99ms();
                    errors += w.errors();
                }
                cs[i] = c;
                rpss[i] = Stats.of(rps);
                p50s[i] = Stats.of(p50);
                p99s[i] = Stats.of(p99);
                report.line("| " + c + " | " + rpss[i].show() + " | " + p50s[i].show() + " | " + Stats.of(p90).show()
                        + " | " + p99s[i].show() + " | " + errors + " |");
                report.headline(String.format(Locale.ROOT, "service c=%d: %s req/s, p50 %s ms, p99 %s ms", c,
                        rpss[i].show(), Stats.fmt(p50s[i].median()), Stats.fmt(p99s[i].median())));
                report.flush();
            }
            long rssEnd = rssKb(pid);
            series.add(Plot.Series.withSpread("p50", cs, p50s));
            series.add(Plot.Series.withSpread("p99", cs, p99s));
            List<java.awt.image.BufferedImage> panels = List.of(
                    Plot.linePanel("sample endpoint latency", "concurrency", "ms", true, true, series, 560, 400),
                    Plot.linePanel("sample endpoint throughput", "concurrency", "requests/s", true, true,
                            List.of(Plot.Series.withSpread("req/s", cs, rpss)), 560, 400));
            Plot.grid(out.resolve("service_load.png"), panels, 2);
            report.line("\n![service load](service_load.png)\n");

            report.line("### Resident memory of the server JVM (VmRSS)\n");
            report.line("| point | requests served | RSS MiB |");
            report.line("|---|---|---|");
            report.line("| healthy, before training | 0 | " + mib(rssStart) + " |");
            report.line("| after warm-up | " + warm.requests() + " | " + mib(rss1k) + " |");
            report.line("| after | " + servedAtN + " | " + mib(rssN) + " |");
            report.line("| after the concurrency sweep | " + served + " | " + mib(rssEnd) + " |");
            double delta = (rssN - rss1k) / 1024.0;
            double perKRequest = delta / ((servedAtN - warm.requests()) / 1000.0);
            report.line("");
            report.line(String.format(Locale.ROOT, "RSS delta from %d to %d requests: %+.1f MiB (%+.2f MiB per 1,000 "
                    + "requests); sweep adds %+.1f MiB over %d more requests (up to 64 concurrent requests, each with "
                    + "its own native buffers, so some growth to a plateau is expected).%n", warm.requests(),
                    servedAtN, delta, perKRequest, (rssEnd - rssN) / 1024.0, served - servedAtN));
            report.headline(String.format(Locale.ROOT, "service RSS %s MiB after %d requests, %s MiB after %d "
                    + "(delta %+.1f MiB); %s MiB after %d", mib(rss1k), warm.requests(), mib(rssN), servedAtN, delta,
                    mib(rssEnd), served));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (server != null) {
                stop(server);
            }
            deleteTree(tmp);
        }
    }

    private Process start(Path tmp, int port) throws IOException {
        return launch(tmp, port, out.resolve("service.log"), List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"),
                Map.of());
    }

    /**
     * The service as a child JVM on 127.0.0.1:{@code port}, its embedded PostgreSQL and artifacts under {@code tmp},
     * the JobRunr dashboard off, output to {@code log}; {@code jvm} options before the class path, {@code env} added
     * to the environment. {@code -Dai.djl.pytorch.num_threads} is passed on from this JVM.
     */
    static Process launch(Path tmp, int port, Path log, List<String> jvm, Map<String, String> env)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvm);
        cmd.add("-Dai.djl.offline=true");
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        if (threads != null && !threads.isBlank()) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.genserve.GenserveApplication",
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--genserve.embedded-db.data-dir=" + tmp.resolve("postgres"),
                "--genserve.artifacts.root=" + tmp.resolve("models"),
                "--jobrunr.dashboard.enabled=false", "--jobrunr.background-job-server.poll-interval-in-seconds=5"));
        System.out.println("[bench] starting the service on port " + port + " (log: " + log + ")");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private void awaitHealthy(Process server, String base) throws InterruptedException {
        awaitHealthy(http, server, base);
    }

    /** Waits until {@code base}/actuator/health is UP (at most 240 s). */
    static void awaitHealthy(HttpClient http, Process server, String base) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the service exited with " + server.exitValue()
                        + " before it was healthy; see service.log");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service was not healthy within 240 s; see service.log");
    }

    private WrkResult wrk(Path wrk, Path script, String url, String body, int threads, int connections,
            int seconds, long maxRequests) throws IOException, InterruptedException {
        List<String> cmd = List.of(wrk.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "--latency", "-s", script.toString(), url);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("BENCH_BODY", body);
        pb.environment().put("BENCH_MAX_REQUESTS", Long.toString(Math.max(0, maxRequests)));
        Process p = pb.start();
        if (maxRequests > 0) {
            // wrk's thread:stop() stops sending, but wrk itself waits out -d; once the server has answered the
            // requests, SIGINT makes wrk print its summary and exit
            double target = samplesServed() + maxRequests;
            while (p.isAlive() && samplesServed() < target) {
                Thread.sleep(200);
            }
            if (p.isAlive()) {
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            }
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        Matcher m = WRK_JSON.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no BENCH_JSON line:\n" + text);
        }
        Map<String, Double> v = new LinkedHashMap<>();
        for (String kv : m.group(1).replaceAll("[{}\"]", "").split(",")) {
            String[] p2 = kv.split(":");
            v.put(p2[0], Double.parseDouble(p2[1]));
        }
        long errors = Math.round(v.get("connect") + v.get("read") + v.get("write") + v.get("status")
                + v.get("timeout"));
        WrkResult r = new WrkResult(Math.round(v.get("requests")), v.get("duration_us") / 1e6, v.get("p50_us") / 1e3,
                v.get("p90_us") / 1e3, v.get("p99_us") / 1e3, errors);
        System.out.printf(Locale.ROOT, "[bench] wrk -c%d: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, "
                + "%d errors%n", connections, r.requests(), r.rps(), r.p50ms(), r.p99ms(), errors);
        return r;
    }

    private String metricsBase;

    /** Successful sample requests so far, from the server's Prometheus endpoint. */
    private double samplesServed() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create(metricsBase + "/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count") && line.contains("/samples")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static String mib(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static void stop(Process server) {
        server.destroy(); // SIGTERM: graceful shutdown stops the embedded PostgreSQL too
        try {
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("[bench] could not delete " + root + ": " + e);
        }
    }

    private String post(String url, String json, int... expected) throws IOException, InterruptedException {
        return ServiceHttp.post(http, url, json, Duration.ofSeconds(60), expected);
    }

    private HttpResponse<String> send(String url, String json) throws IOException, InterruptedException {
        return ServiceHttp.send(http, url, json, Duration.ofSeconds(60));
    }

    private void awaitJob(String base, String jobId) throws IOException, InterruptedException {
        ServiceHttp.awaitJob(http, base, jobId, 1000);
    }
}
