package dev.genserve.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * No spelling of a path gets a write past the API key (issue 14): every variant of the probe that reached the
 * controllers ({@code /api;x/}, {@code /%61pi/}, {@code /api;/}, {@code /%61%70%69/}) and more, on every write
 * endpoint, answers 401 problem+json with {@code WWW-Authenticate} and changes nothing. The header name is
 * case-insensitive; reads, actuator, OpenAPI and Swagger UI stay open.
 */
@ProtectedApi
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeyBypassTest {

    static final String[] PREFIXES = {"/api;x/v1", "/%61pi/v1", "/api;/v1", "/%61%70%69/v1", "/api/v1;x", "/api/%76%31",
        "/api/v1;", "//api/v1", "/./api/v1", "/api/./v1", "/API/v1", "/api/v1/", "/api/v1/../v1", "/api/x/../v1",
        "/api%2Fv1", "/api/v1%2F", "/%2561pi/v1", "/api/v1/%2e"};

    /** Write endpoints, as (method, path after the /api/v1 prefix, body). */
    static final String[][] WRITES = {
        {"POST", "/jobs", "{\"model\":\"bypass-m\",\"family\":\"diffusion\",\"dataset\":\"builtin:moons?seed=737373\"}"},
        {"POST", "/datasets", "{\"builtin\":\"moons\",\"n\":100,\"seed\":737373,\"name\":\"bypass-d\"}"},
        {"DELETE", "/datasets/" + ProtectedApi.DATASET, null},
        {"POST", "/models/" + ProtectedApi.MODEL + "/versions/latest/samples", "{\"n\":2,\"steps\":2}"},
        {"POST", "/models/" + ProtectedApi.MODEL + "/versions/latest/likelihood", "{\"rows\":[[0,0]],\"steps\":2}"},
        {"PUT", "/models/" + ProtectedApi.MODEL + "/aliases/bypassed", "{\"version\":\"1\"}"},
        {"DELETE", "/models/" + ProtectedApi.MODEL + "/versions/1", null},
        {"POST", "/processes/simulate", "{\"process\":\"vp\",\"dataset\":\"" + ProtectedApi.DATASET + "\",\"n\":5,\"steps\":2}"}};

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    long versionsBefore;

    @BeforeAll
    void model() throws Exception {
        TinyModel.ensure(new Http(port), ProtectedApi.DATASET, ProtectedApi.MODEL, ProtectedApi.MODEL_CONFIG,
                "X-API-Key", ProtectedApi.KEY);
        versionsBefore = jdbc.queryForObject("select count(*) from model_version", Long.class);
    }

    @TestFactory
    Stream<DynamicTest> everyPathVariantOfEveryWriteWithoutTheKeyIs401() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String prefix : PREFIXES) {
            for (String[] w : WRITES) {
                String path = prefix + w[1];
                tests.add(DynamicTest.dynamicTest(w[0] + " " + path, () -> assert401(w[0], path, w[2], null)));
            }
        }
        for (String[] w : WRITES) {
            tests.add(DynamicTest.dynamicTest(w[0] + " /api/v1" + w[1] + " with a wrong key",
                    () -> assert401(w[0], "/api/v1" + w[1], w[2], "X-API-Key: nope")));
            tests.add(DynamicTest.dynamicTest(w[0] + " /%61pi/v1" + w[1] + " with an empty key",
                    () -> assert401(w[0], "/%61pi/v1" + w[1], w[2], "X-API-Key: ")));
        }
        return tests.stream();
    }

    private void assert401(String method, String path, String body, String header) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost");
        if (header != null) {
            head.append("\r\n").append(header);
        }
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (bytes != null) {
            head.append("\r\nContent-Type: application/json\r\nContent-Length: ").append(bytes.length);
        }
        RawHttp.Response r = RawHttp.send(port, head.toString(), bytes);
        assertThat(r.status()).as(method + " " + path + ": " + r).isEqualTo(401);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.headers().get("www-authenticate")).as(r.toString()).contains("X-API-Key");
    }

    @Test
    void theHeaderNameIsCaseInsensitive() {
        Http http = new Http(port);
        for (String name : new String[] {"X-API-Key", "x-api-key", "X-API-KEY", "x-Api-kEy"}) {
            Http.Response r = http.send("POST", "/api/v1/processes/simulate", "{\"process\":\"vp\",\"dataset\":\""
                    + ProtectedApi.DATASET + "\",\"n\":5,\"steps\":2,\"snapshots\":2}", "Content-Type", "application/json",
                    name, ProtectedApi.KEY);
            assertThat(r.status()).as(name + ": " + r).isEqualTo(200);
        }
        // and through a path variant, with the key, the write is served as the plain path would be
        RawHttp.Response viaVariant = RawHttp.send(port, "POST /%61pi/v1;x/processes/simulate HTTP/1.1\r\nHost: localhost"
                + "\r\nx-api-key: " + ProtectedApi.KEY + "\r\nContent-Type: application/json\r\nContent-Length: 2", "{}".getBytes());
        assertThat(viaVariant.status()).as(viaVariant.toString()).isEqualTo(400);
    }

    @Test
    void readsActuatorOpenApiAndSwaggerStayOpen() {
        Http http = new Http(port);
        assertThat(http.get("/api/v1/datasets").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/models/" + ProtectedApi.MODEL + "/versions/latest").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/datasets", "X-API-Key", "wrong").status()).as("a wrong key on a read is ignored")
                .isEqualTo(200);
    }

    @AfterAll
    void nothingChanged() {
        assertThat(jdbc.queryForObject("select count(*) from dataset where name like 'bypass-%' or name like '%-s737373'",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from model where name like 'bypass-%'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from model_alias where alias = 'bypassed'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from model_version", Long.class)).isEqualTo(versionsBefore);
        assertThat(jdbc.queryForObject("select count(*) from dataset where name = ?", Integer.class, ProtectedApi.DATASET))
                .isEqualTo(1);
    }
}
