package dev.genserve.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import dev.genserve.support.SharedTestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class HealthEndpointTest {

    @LocalServerPort
    int port;

    @Autowired
    CodeVersion codeVersion;

    @Test
    void healthIsUpWithDatabaseAndDjlEngineAndDevice() {
        Http.Response r = new Http(port).get("/actuator/health");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("status").asString()).isEqualTo("UP");
        JsonNode db = body.path("components").path("db");
        assertThat(db.path("status").asString()).isEqualTo("UP");
        assertThat(db.path("details").path("database").asString()).isEqualTo("PostgreSQL");
        JsonNode djl = body.path("components").path("djl");
        assertThat(djl.path("status").asString()).as(djl.toString()).isEqualTo("UP");
        assertThat(djl.path("details").path("engine").asString()).isEqualTo("PyTorch");
        assertThat(djl.path("details").path("version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(djl.path("details").path("device").asString()).matches("(cpu|gpu)\\(\\d*\\)");
        assertThat(djl.path("details").path("threads").asInt()).isPositive();
        assertThat(djl.path("details").path("offline").asBoolean()).isTrue();
    }

    @Test
    void livenessAndReadinessIncludeTheJobWorker() {
        Http http = new Http(port);
        for (String probe : new String[] {"liveness", "readiness"}) {
            Http.Response r = http.get("/actuator/health/" + probe);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode worker = r.json().path("components").path("jobWorker");
            assertThat(worker.path("status").asString()).as(r.toString()).isEqualTo("UP");
            assertThat(worker.path("details").path("replica").asString()).isNotBlank();
        }
    }

    @Test
    void infoShowsBuildVersionAndPrometheusScrapes() {
        Http http = new Http(port);
        Http.Response info = http.get("/actuator/info");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("build").path("version").asString()).isNotBlank().isEqualTo(codeVersion.buildVersion());
        Http.Response prom = http.get("/actuator/prometheus");
        assertThat(prom.status()).isEqualTo(200);
        assertThat(prom.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    @Test
    void serviceInfoAndOpenApiAreServed() {
        Http http = new Http(port);
        Http.Response info = http.get("/api/v1");
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("name").asString()).isEqualTo("genserve");
        assertThat(info.json().path("version").asString()).isEqualTo(codeVersion.value());
        Http.Response docs = http.get("/v3/api-docs");
        assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
        assertThat(docs.json().path("paths").has("/api/v1")).isTrue();
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void artifactStorePointsAtTheTestTemporaryDirectory(@Autowired ArtifactsProperties artifacts) {
        assertThat(artifacts.root().toString()).contains("genserve-test-models");
        assertThat(java.nio.file.Files.isDirectory(artifacts.root())).isTrue();
    }

    @Test
    void harnessReportsWhichDatabaseRan() {
        SharedTestDatabase db = SharedTestDatabase.get();
        assertThat(db.serverVersion()).matches("1[6-9].*");
        assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql:");
    }
}
