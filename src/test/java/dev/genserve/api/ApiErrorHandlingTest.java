package dev.genserve.api;

import static dev.genserve.api.ProblemDetailsTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import dev.genserve.errors.ConflictException;
import dev.genserve.errors.NotFoundException;
import dev.genserve.errors.PayloadTooLargeException;
import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Every error kind through a probe controller, in a context with an API key and a 1 KB request limit: 401, malformed
 * JSON, validation (with {@code errors}), 415, 413 (filter and {@link PayloadTooLargeException}), 404, 409, 400 from
 * {@code InvalidInputException}, and a generic 500 (also for an {@link IllegalArgumentException}: internal).
 */
@IntegrationTest
@TestPropertySource(properties = {
        "genserve.security.api-key=s3cret",
        "spring.servlet.multipart.max-request-size=1KB",
        "spring.servlet.multipart.max-file-size=1KB"})
class ApiErrorHandlingTest {

    static final String KEY = "X-API-Key";

    @LocalServerPort
    int port;

    record ProbeRequest(@NotBlank String name, @Min(1) @Max(1000) int n) {
    }

    @RestController
    @RequestMapping("/api/v1/_probe")
    static class ProbeController {
        @PostMapping(path = "/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
        ProbeRequest echo(@Valid @RequestBody ProbeRequest request) {
            return request;
        }

        @PostMapping("/fail/{kind}")
        String fail(@PathVariable String kind) {
            switch (kind) {
                case "missing" -> throw NotFoundException.of("Model", "nope");
                case "conflict" -> throw new ConflictException("Model 'moons' already exists");
                case "big" -> throw new PayloadTooLargeException("n=1000000 exceeds the limit of 100000 samples per request");
                case "input" -> throw new dev.genserve.errors.InvalidInputException("steps must be positive");
                case "arg" -> throw new IllegalArgumentException("internal: index 7 out of range");
                default -> throw new IllegalStateException("boom: internal detail that must not leak");
            }
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Probe {
        @Bean
        ProbeController probeController() {
            return new ProbeController();
        }
    }

    Http http() {
        return new Http(port);
    }

    @Test
    void writesWithoutOrWithWrongKeyAre401() {
        JsonNode missing = assertProblem(http().send("POST", "/api/v1/_probe/echo", "{\"name\":\"a\",\"n\":1}",
                "Content-Type", "application/json"), 401);
        assertThat(missing.path("detail").asString()).contains(KEY);
        assertProblem(http().send("POST", "/api/v1/_probe/echo", "{\"name\":\"a\",\"n\":1}",
                "Content-Type", "application/json", KEY, "wrong"), 401);
    }

    @Test
    void writesWithKeySucceedAndReadsStayOpen() {
        Http.Response ok = http().send("POST", "/api/v1/_probe/echo", "{\"name\":\"a\",\"n\":3}",
                "Content-Type", "application/json", KEY, "s3cret");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().path("n").asInt()).isEqualTo(3);
        assertThat(http().get("/api/v1").status()).isEqualTo(200);
        assertThat(http().get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400WithParserLocation() {
        JsonNode body = assertProblem(http().send("POST", "/api/v1/_probe/echo", "{\"name\": \"a\",\n \"n\": }",
                "Content-Type", "application/json", KEY, "s3cret"), 400);
        assertThat(body.path("detail").asString()).startsWith("Malformed JSON").contains("line 2");
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        JsonNode body = assertProblem(http().send("POST", "/api/v1/_probe/echo", "{\"name\": \"a\", \"n\": \"many\"}",
                "Content-Type", "application/json", KEY, "s3cret"), 400);
        assertThat(body.path("detail").asString()).contains("n");
    }

    @Test
    void validationErrorsListEachField() {
        JsonNode body = assertProblem(http().send("POST", "/api/v1/_probe/echo", "{\"name\": \" \", \"n\": 0}",
                "Content-Type", "application/json", KEY, "s3cret"), 400);
        assertThat(body.path("errors").isArray()).isTrue();
        assertThat(body.path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("name", "n");
        assertThat(body.path("detail").asString()).contains("name").contains("n:");
    }

    @Test
    void missingBodyIs400() {
        assertProblem(http().send("POST", "/api/v1/_probe/echo", "", "Content-Type", "application/json", KEY, "s3cret"), 400);
    }

    @Test
    void wrongContentTypeIs415() {
        JsonNode body = assertProblem(http().send("POST", "/api/v1/_probe/echo", "name=a",
                "Content-Type", "text/plain", KEY, "s3cret"), 415);
        assertThat(body.path("detail").asString()).contains("text/plain");
    }

    @Test
    void oversizedBodyIs413BeforeItIsRead() {
        byte[] big = ("{\"name\":\"" + "x".repeat(4096) + "\",\"n\":1}").getBytes(StandardCharsets.UTF_8);
        JsonNode body = assertProblem(http().send("POST", "/api/v1/_probe/echo", big,
                "Content-Type", "application/json", KEY, "s3cret"), 413);
        assertThat(body.path("detail").asString()).contains("1024");
    }

    @Test
    void oversizedBodiesAre413WhateverThePathAndWithoutALength() throws Exception {
        byte[] big = ("{\"name\":\"" + "x".repeat(4096) + "\",\"n\":1}").getBytes(StandardCharsets.UTF_8);
        assertProblem(http().send("POST", "/%61pi/v1/_probe/echo", big, "Content-Type", "application/json", KEY, "s3cret"), 413);
        assertProblem(http().send("POST", "/api;x/v1/_probe/echo", big, "Content-Type", "application/json", KEY, "s3cret"), 413);
        java.net.http.HttpRequest chunked = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                        + "/api/v1/_probe/echo"))
                .header("Content-Type", "application/json").header(KEY, "s3cret")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(chunked,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void serviceExceptionsMapToTheirStatus() {
        assertThat(assertProblem(fail("missing"), 404).path("detail").asString()).isEqualTo("Model 'nope' does not exist");
        assertThat(assertProblem(fail("conflict"), 409).path("detail").asString()).contains("already exists");
        assertThat(assertProblem(fail("big"), 413).path("detail").asString()).contains("exceeds");
        assertThat(assertProblem(fail("input"), 400).path("detail").asString()).isEqualTo("steps must be positive");
    }

    @Test
    void anIllegalArgumentFromInsideIsA500NotA400() {
        JsonNode body = assertProblem(fail("arg"), 500);
        assertThat(body.path("detail").asString()).doesNotContain("index 7");
    }

    @Test
    void unexpectedErrorsAreGeneric500() {
        JsonNode body = assertProblem(fail("other"), 500);
        assertThat(body.path("detail").asString()).doesNotContain("boom");
    }

    private Http.Response fail(String kind) {
        return http().send("POST", "/api/v1/_probe/fail/" + kind, "", KEY, "s3cret");
    }
}
