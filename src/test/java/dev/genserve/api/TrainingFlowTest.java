package dev.genserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The whole user journey over HTTP against a real PostgreSQL and JobRunr: create a dataset, submit a job per
 * family, watch it finish, find the version, sample in every format, alias it, and the error cases.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingFlowTest {

    private static final String JSON = "application/json";

    @LocalServerPort
    int port;

    Http http;

    @BeforeAll
    void createDataset() {
        http = new Http(port);
        Http.Response created = http.send("POST", "/api/v1/datasets",
                "{\"builtin\":\"eight-gaussians\",\"n\":3000,\"seed\":3,\"name\":\"flow-8g\"}", "Content-Type", JSON);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private JsonNode awaitEnd(String location, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode job;
        do {
            Thread.sleep(250);
            job = http.get(location).json();
        } while (!job.get("status").asString().matches("SUCCEEDED|FAILED|CANCELLED") && Instant.now().isBefore(deadline));
        return job;
    }

    private String submit(String model, String family, String config) {
        Http.Response r = http.send("POST", "/api/v1/jobs", "{\"model\":\"" + model + "\",\"family\":\"" + family
                + "\",\"dataset\":\"flow-8g\",\"config\":" + config + "}", "Content-Type", JSON);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.header("Location")).startsWith("/api/v1/jobs/");
        return r.header("Location");
    }

    /** Reads a job's server-sent events until the stream closes: each event as [name, data]. */
    private List<String[]> events(String location) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + location + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(180)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String[]> events = new ArrayList<>();
        String[] current = {null, null};
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("event:")) {
                current[0] = line.substring(6);
            } else if (line.startsWith("data:")) {
                current[1] = line.substring(5);
            } else if (line.isEmpty() && current[0] != null) {
                events.add(current.clone());
                current[0] = null;
            }
        }
        return events;
    }

    @Test
    @Order(1)
    void diffusionJobTrainsVersionsAndSamplesInEveryFormat() throws Exception {
        String location = submit("flow-diffusion", "diffusion", "{\"steps\":300,\"batchSize\":256,\"hidden\":64,\"depth\":2}");
        List<String[]> events = events(location);
        assertThat(events).as("progress events, then end").hasSizeGreaterThan(1);
        assertThat(events.get(events.size() - 1)).containsExactly("end", "SUCCEEDED");
        List<Integer> steps = events.stream().filter(e -> e[0].equals("progress"))
                .map(e -> http.json(e[1]).get("step").asInt()).toList();
        assertThat(steps).isSorted().last().isEqualTo(300);
        JsonNode job = awaitEnd(location, Duration.ofSeconds(180));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("step").asInt()).isEqualTo(300);
        assertThat(job.get("lossHistory").size()).isGreaterThan(10);
        assertThat(job.get("modelVersion").asInt()).isEqualTo(1);

        Http.Response byNumber = http.get("/api/v1/models/flow-diffusion/versions/1");
        assertThat(byNumber.header("Cache-Control")).contains("immutable");
        String etag = byNumber.header("ETag");
        assertThat(etag).startsWith("\"");
        assertThat(http.get("/api/v1/models/flow-diffusion/versions/1", "If-None-Match", etag).status()).isEqualTo(304);
        Http.Response latest = http.get("/api/v1/models/flow-diffusion/versions/latest");
        assertThat(latest.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(latest.header("ETag")).isEqualTo(etag);
        assertThat(latest.header("Content-Location")).isEqualTo("/api/v1/models/flow-diffusion/versions/1");
        JsonNode version = latest.json();
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("artifactSha256").asString()).hasSize(64);
        assertThat(version.get("config").get("steps").asInt()).isEqualTo(300);
        JsonNode metrics = version.get("metrics");
        for (String name : new String[] {"nn1_accuracy", "mmd2_bw0.1", "mmd2_bw0.3", "mmd2_bw1", "precision",
                "recall", "density", "coverage", "sliced_w2", "energy_distance"}) {
            JsonNode metric = metrics.get("metrics").get(name);
            assertThat(metric.get("value").isNumber()).as(name + " in " + metrics).isTrue();
            assertThat(metric.get("floor").isNumber()).as(name).isTrue();
        }
        assertThat(metrics.get("metrics").get("nn1_accuracy").get("floor").asDouble()).isBetween(0.3, 0.7);

        String body = "{\"n\":64,\"seed\":11,\"steps\":50}";
        Http.Response a = http.send("POST", "/api/v1/models/flow-diffusion/versions/1/samples", body,
                "Content-Type", JSON, "Accept", JSON);
        Http.Response b = http.send("POST", "/api/v1/models/flow-diffusion/versions/latest/samples", body,
                "Content-Type", JSON, "Accept", JSON);
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        assertThat(a.json().get("samples")).isEqualTo(b.json().get("samples"));
        assertThat(a.json().get("samples").size()).isEqualTo(64);
        assertThat(a.header("X-Seed")).isEqualTo("11");

        Http.Response csv = http.send("POST", "/api/v1/models/flow-diffusion/versions/1/samples", body,
                "Content-Type", JSON, "Accept", "text/csv");
        assertThat(csv.status()).isEqualTo(200);
        String[] lines = csv.body().split("\n");
        assertThat(lines[0].trim()).isEqualTo("x0,x1");
        assertThat(lines).hasSize(65);
        assertThat(Float.parseFloat(lines[1].split(",")[0]))
                .isEqualTo((float) a.json().get("samples").get(0).get(0).asDouble());

        Http.Response npy = http.send("POST", "/api/v1/models/flow-diffusion/versions/1/samples", body,
                "Content-Type", JSON, "Accept", "application/x-npy");
        assertThat(npy.status()).isEqualTo(200);
        String header = new String(npy.body().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        assertThat(header).contains("NUMPY").contains("'shape': (64, 2)");

        Http.Response png = http.send("POST", "/api/v1/models/flow-diffusion/versions/1/samples", body,
                "Content-Type", JSON, "Accept", "image/png");
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.contentType()).isEqualTo("image/png");
    }

    @Test
    @Order(6)
    void operatorMetricsCoverEveryGrafanaPanel() throws Exception {
        String scrape = http.get("/actuator/prometheus").body();
        assertThat(scrape).contains("genserve_sampling_seconds_bucket{").contains("format=\"csv\"")
                .contains("genserve_jobs{").contains("state=\"succeeded\"")
                .contains("genserve_training_duration_seconds_bucket{");
        java.util.Set<String> referenced = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("genserve_[a-z_]+")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("ops/grafana/genserve-dashboard.json")));
        while (m.find()) {
            referenced.add(m.group());
        }
        assertThat(referenced).hasSizeGreaterThan(10);
        for (String metric : referenced) {
            assertThat(scrape).as("Grafana uses " + metric)
                    .containsPattern("(?m)^" + metric + "(_bucket|_count|_sum|_max)?[{ ]");
        }
        Http.Response jobs = http.get("/api/v1/jobs?size=1");
        assertThat(jobs.header("Link")).contains("rel=\"next\"").contains("page=1&size=1");
    }

    @Test
    @Order(2)
    void aliasesMoveWithHistoryAndProtectTheirVersion() {
        Http.Response put = http.send("PUT", "/api/v1/models/flow-diffusion/aliases/production", "{\"version\":\"1\"}",
                "Content-Type", JSON);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        Http.Response viaAlias = http.send("POST", "/api/v1/models/flow-diffusion/versions/production/samples",
                "{\"n\":3,\"seed\":1,\"steps\":10}", "Content-Type", JSON);
        assertThat(viaAlias.status()).isEqualTo(200);
        assertThat(http.get("/api/v1/models/flow-diffusion/aliases/production/history").json().get("items").size())
                .isEqualTo(1);
        Http.Response delete = http.send("DELETE", "/api/v1/models/flow-diffusion/versions/1", (String) null);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.contentType()).startsWith("application/problem+json");
    }

    @Test
    @Order(3)
    void driftingAndAttractorJobsTrainAndSample() throws Exception {
        String drifting = submit("flow-drifting", "drifting", "{\"steps\":150,\"hidden\":64,\"depth\":2,\"positives\":256,\"generated\":256}");
        String attractor = submit("flow-attractor", "attractor", "{\"steps\":150,\"hidden\":64,\"depth\":2,\"batchSize\":256}");
        for (String location : new String[] {drifting, attractor}) {
            JsonNode job = awaitEnd(location, Duration.ofSeconds(240));
            assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        }
        Http.Response one = http.send("POST", "/api/v1/models/flow-drifting/versions/latest/samples",
                "{\"n\":500,\"seed\":5}", "Content-Type", JSON);
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(one.json().get("functionEvaluations").asInt()).isEqualTo(1);
        Http.Response single = http.send("POST", "/api/v1/models/flow-attractor/versions/latest/samples",
                "{\"n\":1,\"seed\":5,\"steps\":20}", "Content-Type", JSON);
        assertThat(single.status()).as(single.toString()).isEqualTo(200);
        assertThat(single.json().get("samples").size()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void clientMistakesAreProblemDetails() {
        assertProblem(http.send("POST", "/api/v1/jobs", "{\"model\":\"x\",\"family\":\"nope\",\"dataset\":\"flow-8g\"}",
                "Content-Type", JSON), 400, "nope");
        assertProblem(http.send("POST", "/api/v1/jobs",
                "{\"model\":\"x\",\"family\":\"diffusion\",\"dataset\":\"flow-8g\",\"config\":{\"stepz\":5}}",
                "Content-Type", JSON), 400, "stepz");
        assertProblem(http.send("POST", "/api/v1/jobs", "{\"model\":\"x\",\"family\":\"diffusion\",\"dataset\":\"missing\"}",
                "Content-Type", JSON), 404, "missing");
        assertProblem(http.send("POST", "/api/v1/jobs", "{\"model\":\"bad name!\",\"family\":\"diffusion\",\"dataset\":\"flow-8g\"}",
                "Content-Type", JSON), 400, "model");
        assertProblem(http.send("POST", "/api/v1/models/flow-drifting/versions/latest/samples",
                "{\"n\":5,\"sampler\":\"euler-maruyama\"}", "Content-Type", JSON), 400, "sampler");
        assertProblem(http.send("POST", "/api/v1/models/flow-diffusion/versions/latest/samples",
                "{\"n\":100000000}", "Content-Type", JSON), 413, "limit");
        assertProblem(http.send("POST", "/api/v1/models/nobody/versions/latest/samples", "{\"n\":5}",
                "Content-Type", JSON), 404, "nobody");
        assertProblem(http.send("POST", "/api/v1/models/flow-diffusion/versions/99/samples", "{\"n\":5}",
                "Content-Type", JSON), 404, "99");
        assertProblem(http.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000"), 404, "00000000");
    }

    @Test
    @Order(5)
    void cancellingARunningJobStopsIt() throws Exception {
        String location = submit("flow-cancel", "diffusion", "{\"steps\":200000,\"batchSize\":64,\"hidden\":32,\"depth\":1}");
        Instant deadline = Instant.now().plusSeconds(60);
        while (!http.get(location).json().get("status").asString().equals("RUNNING") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Http.Response cancel = http.send("POST", location + "/cancel", (String) null);
        assertThat(cancel.status()).isEqualTo(202);
        JsonNode job = awaitEnd(location, Duration.ofSeconds(30));
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("modelVersion").isNull()).isTrue();
        assertProblem(http.send("POST", location + "/cancel", (String) null), 409, "CANCELLED");
        JsonNode cancelled = http.get("/api/v1/jobs?status=cancelled&model=flow-cancel").json();
        assertThat(cancelled.get("totalItems").asInt()).isEqualTo(1);
    }

    private static void assertProblem(Http.Response response, int status, String detailContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).containsIgnoringCase(detailContains);
    }
}
