package dev.genserve.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checked-in contract {@code docs/openapi.json} (from which the build generates the Java client, and which CI
 * lints) must be exactly the live {@code /v3/api-docs}. When the API changes on purpose, regenerate it:
 * {@code ./mvnw -o test -Dtest=OpenApiContractTest -Dopenapi.update=true} (the test then rewrites the file and
 * fails once, so that the change is looked at and committed).
 */
@IntegrationTest
class OpenApiContractTest {

    static final Path CONTRACT = Path.of("docs", "openapi.json");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    @LocalServerPort
    int port;

    @Test
    void checkedInContractIsTheLiveDocument() throws IOException {
        Http.Response live = new Http(port).get("/v3/api-docs");
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        JsonNode liveDoc = JSON.readTree(live.body());
        String rendered = JSON.writeValueAsString(liveDoc) + "\n";
        if (Boolean.getBoolean("openapi.update")) {
            String before = Files.exists(CONTRACT) ? Files.readString(CONTRACT) : "";
            Files.writeString(CONTRACT, rendered);
            if (!before.equals(rendered)) {
                fail("docs/openapi.json was rewritten from the live document: review and commit it, then rebuild");
            }
            return;
        }
        JsonNode checkedIn = JSON.readTree(Files.readString(CONTRACT));
        if (!checkedIn.equals(liveDoc)) {
            Path actual = Path.of("target", "openapi-live.json");
            Files.createDirectories(actual.getParent());
            Files.writeString(actual, rendered);
            List<String> differences = new ArrayList<>();
            diff("", checkedIn, liveDoc, differences);
            fail("docs/openapi.json differs from the live /v3/api-docs (live copy in " + actual + "); first "
                    + "differences: " + differences.subList(0, Math.min(10, differences.size()))
                    + ". If the change is intended: ./mvnw -o test -Dtest=OpenApiContractTest -Dopenapi.update=true");
        }
    }

    @Test
    void contractIsTypedForClients() {
        JsonNode doc = JSON.readTree(new Http(port).get("/v3/api-docs").body());
        String text = doc.toString();
        assertThat(text).as("no leaked Jackson JsonNode schema").doesNotContain("nodeType");
        assertThat(doc.at("/info/title").asString()).isEqualTo("genserve API");
        assertThat(doc.at("/components/securitySchemes/ApiKey/name").asString()).isEqualTo("X-API-Key");
        JsonNode familyConfig = doc.at("/components/schemas/FamilyConfig");
        assertThat(familyConfig.at("/discriminator/propertyName").asString()).isEqualTo("family");
        assertThat(familyConfig.at("/oneOf").size()).isEqualTo(3);
        // derived from the records: a default from resolve, a range and an enum from the docs
        assertThat(doc.at("/components/schemas/DiffusionConfig/properties/steps/default").asInt()).isEqualTo(2000);
        assertThat(doc.at("/components/schemas/DiffusionConfig/properties/hidden/maximum").asInt()).isEqualTo(4096);
        assertThat(doc.at("/components/schemas/SdeConfig/properties/type/enum").toString()).contains("subvp");
        assertThat(doc.at("/components/schemas/DriftingConfig/properties/noiseDim/default").isMissingNode())
                .as("a data-dependent default is not published").isTrue();
        // every operation: an id, a tag, security, and problem details on its errors
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            JsonNode operation = op.getValue();
            String where = op.getKey() + " " + path.getKey();
            assertThat(operation.path("operationId").asString()).as(where).isNotEmpty();
            assertThat(operation.path("tags").size()).as(where).isEqualTo(1);
            assertThat(operation.path("security").isArray()).as(where).isTrue();
            operation.get("responses").properties().forEach(r -> {
                if (r.getKey().matches("[45]\\d\\d")) {
                    assertThat(r.getValue().at("/content/application~1problem+json/schema/$ref").asString())
                            .as(where + " " + r.getKey()).isEqualTo("#/components/schemas/ProblemDetail");
                }
            });
        }));
        assertThat(doc.at("/paths/~1api~1v1~1jobs/post/responses/202/headers/Location").isObject()).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1jobs/get/responses/200/headers/Link").isObject()).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1models~1{name}~1versions~1{reference}~1samples.png/post/responses/200"
                + "/content/image~1png/schema/format").asString()).isEqualTo("binary");
        assertThat(doc.at("/paths/~1api~1v1~1models~1{name}~1versions~1{reference}~1samples/post/responses/200"
                + "/headers/X-Seed").isObject()).isTrue();
    }

    private static void diff(String at, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            expected.properties().forEach(e -> {
                JsonNode other = actual.get(e.getKey());
                if (other == null) {
                    out.add("removed " + at + "/" + e.getKey());
                } else {
                    diff(at + "/" + e.getKey(), e.getValue(), other, out);
                }
            });
            actual.properties().forEach(e -> {
                if (expected.get(e.getKey()) == null) {
                    out.add("added " + at + "/" + e.getKey());
                }
            });
            return;
        }
        out.add("changed " + at);
    }
}
