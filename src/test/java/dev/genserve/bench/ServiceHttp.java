package dev.genserve.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JSON-over-HTTP calls the service-driving benchmarks ({@link ServiceLoad}, {@link SoakBench}) share. */
final class ServiceHttp {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    private ServiceHttp() {}

    /** POSTs a JSON body and returns the response, whatever its status. */
    static HttpResponse<String> send(HttpClient http, String url, String json, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body and returns the response body; any status outside {@code expected} is an error. */
    static String post(HttpClient http, String url, String json, Duration timeout, int... expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(http, url, json, timeout);
        if (Arrays.stream(expected).noneMatch(e -> e == r.statusCode())) {
            throw new IllegalStateException("POST " + url + " → " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The first group of {@code p} in {@code text}. */
    static String extract(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + p + " in " + text);
        }
        return m.group(1);
    }

    /** Polls a training job every {@code pollMillis} until it succeeds (fails on FAILED, CANCELLED or 900 s). */
    static void awaitJob(HttpClient http, String base, String jobId, long pollMillis)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(900);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + jobId))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            String status = extract(STATUS, r.body());
            if (status.equals("SUCCEEDED")) {
                return;
            }
            if (status.equals("FAILED") || status.equals("CANCELLED")) {
                throw new IllegalStateException("training job " + jobId + " " + status + ": " + r.body());
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException("training job " + jobId + " did not finish within 900 s");
    }
}
