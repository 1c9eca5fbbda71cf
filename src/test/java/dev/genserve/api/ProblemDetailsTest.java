package dev.genserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Client mistakes against the real endpoints of the shared context are problem+json 4xx, never 500. */
@IntegrationTest
class ProblemDetailsTest {

    @LocalServerPort
    int port;

    static JsonNode assertProblem(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        JsonNode body = r.json();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).as(r.toString()).isNotBlank();
        return body;
    }

    @Test
    void unknownPathUnderApiIs404Problem() {
        JsonNode body = assertProblem(new Http(port).get("/api/v1/no-such-thing"), 404);
        assertThat(body.path("instance").asString()).isEqualTo("/api/v1/no-such-thing");
    }

    @Test
    void wrongMethodIs405ProblemWithAllowHeader() {
        Http.Response r = new Http(port).send("DELETE", "/api/v1", (String) null);
        JsonNode body = assertProblem(r, 405);
        assertThat(body.path("detail").asString()).contains("DELETE");
        assertThat(r.header("Allow")).contains("GET");
    }

    @Test
    void unacceptableMediaTypeIs406Problem() {
        assertProblem(new Http(port).get("/api/v1", "Accept", "image/png"), 406);
    }

    @Test
    void postWithoutApiKeyConfiguredIsNotRejectedAs401() {
        // no genserve.security.api-key in this context: writes are open, so the request reaches MVC (405 here)
        assertProblem(new Http(port).send("POST", "/api/v1", "{}", "Content-Type", "application/json"), 405);
    }
}
