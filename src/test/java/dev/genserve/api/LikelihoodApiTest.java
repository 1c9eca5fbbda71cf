package dev.genserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * POST /models/{name}/versions/{v}/likelihood over HTTP: a tiny diffusion model on eight Gaussians (std ≈ 1.4 per axis),
 * log p per posted row in data units with the standardisation's log-Jacobian, bits/dim, the estimator and the
 * echoed seed (same seed, same values); and the limits (413) and client mistakes (400), as problem details.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LikelihoodApiTest {

    private static final String JSON = "application/json";
    private static final String PATH = "/api/v1/models/lik-diffusion/versions/latest/likelihood";

    @LocalServerPort
    int port;

    Http http;

    @BeforeAll
    void trainTinyModel() throws Exception {
        http = new Http(port);
        Http.Response created = http.send("POST", "/api/v1/datasets",
                "{\"builtin\":\"eight-gaussians\",\"n\":2000,\"seed\":5,\"name\":\"lik-8g\"}", "Content-Type", JSON);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Http.Response job = http.send("POST", "/api/v1/jobs", "{\"model\":\"lik-diffusion\",\"family\":\"diffusion\","
                + "\"dataset\":\"lik-8g\",\"config\":{\"steps\":150,\"batchSize\":128,\"hidden\":32,\"depth\":1,"
                + "\"sampleSteps\":20}}", "Content-Type", JSON);
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        JsonNode status;
        do {
            Thread.sleep(250);
            status = http.get(job.header("Location")).json();
        } while (!status.get("status").asString().matches("SUCCEEDED|FAILED|CANCELLED")
                && Instant.now().isBefore(deadline));
        assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("SUCCEEDED");
    }

    private Http.Response post(String body) {
        return http.send("POST", PATH, body, "Content-Type", JSON, "Accept", JSON);
    }

    @Test
    void returnsLogDensityInDataUnitsWithEstimatorAndSeed() {
        String body = "{\"rows\":[[2,0],[0,-2],[5,5]],\"steps\":40,\"seed\":7}";
        Http.Response r = post(body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("estimator").asString()).isEqualTo("exact");
        assertThat(j.get("probes").asInt()).isEqualTo(2);
        assertThat(j.get("steps").asInt()).isEqualTo(40);
        assertThat(j.get("seed").asLong()).isEqualTo(7);
        assertThat(r.header("X-Seed")).isEqualTo("7");
        assertThat(j.get("dimension").asInt()).isEqualTo(2);
        assertThat(j.get("functionEvaluations").asLong()).isEqualTo(40L * 2 * 5);
        JsonNode normalization = http.get("/api/v1/models/lik-diffusion/versions/latest").json().get("normalization");
        double jacobian = 0;
        for (JsonNode s : normalization.get("std")) {
            jacobian -= Math.log(s.asDouble());
        }
        assertThat(j.get("logJacobian").asDouble()).isCloseTo(jacobian, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode log = j.get("logLikelihood");
        assertThat(log.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(Double.isFinite(log.get(i).asDouble())).isTrue();
            assertThat(j.get("bitsPerDim").get(i).asDouble())
                    .isCloseTo(-log.get(i).asDouble() / (2 * Math.log(2)), org.assertj.core.data.Offset.offset(1e-9));
        }
        // the centre of a mode is far more likely than a point far outside the data
        assertThat(log.get(0).asDouble()).isGreaterThan(log.get(2).asDouble() + 3);
        assertThat(post(body).json().get("logLikelihood")).isEqualTo(log);
        Http.Response hutchinson = post("{\"rows\":[[2,0]],\"steps\":20,\"estimator\":\"hutchinson\","
                + "\"probes\":3,\"seed\":1}");
        assertThat(hutchinson.status()).as(hutchinson.toString()).isEqualTo(200);
        assertThat(hutchinson.json().get("probes").asInt()).isEqualTo(3);
    }

    @Test
    void boundsWorkAndRejectMistakesWithProblemDetails() {
        StringBuilder many = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("[1,2]");
        }
        expect(post(many + "]}"), 413, "rows exceed the limit of 1000");
        expect(post("{\"rows\":[[1,2]],\"steps\":5000}"), 413, "genserve.likelihood.max-steps");
        StringBuilder hundred = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 100; i++) {
            hundred.append(i == 0 ? "" : ",").append("[1,2]");
        }
        expect(post(hundred + "],\"estimator\":\"hutchinson\",\"probes\":64,\"steps\":1000}"), 413,
                "genserve.likelihood.max-evaluations");
        expect(post("{\"rows\":[[1,2,3]]}"), 400, "row 0 has 3 values; the model has dimension 2");
        expect(post("{\"rows\":[]}"), 400, "rows is required");
        expect(post("{\"rows\":[[1,2]],\"estimator\":\"skilling\"}"), 400, "estimator must be 'exact' or 'hutchinson'");
        expect(post("{\"rows\":[[1,2]],\"probes\":3}"), 400, "probes applies to the hutchinson estimator only");
        expect(post("{\"rows\":[[1,2]],\"steps\":0}"), 400, "steps must be ≥ 1");
        expect(http.send("POST", "/api/v1/models/no-such-model/versions/latest/likelihood", "{\"rows\":[[1,2]]}",
                "Content-Type", JSON), 404, null);
    }

    private static void expect(Http.Response r, int status, String detail) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        if (detail != null) {
            assertThat(r.json().get("detail").asString()).contains(detail);
        }
    }
}
