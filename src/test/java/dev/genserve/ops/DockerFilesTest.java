package dev.genserve.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine here, so the ops rules for Dockerfile and docker-compose.yml are checked as text and as
 * parsed YAML: metadata and weights on volumes, a health check on the configured port, a CUDA base for the GPU image,
 * the JobRunr dashboard never published, no default API key or password, the image's JVM flags kept, and a
 * two-replica profile on one database.
 */
class DockerFilesTest {

    @Test
    void dockerfileKeepsStateOnVolumesAndChecksHealthOnThePortItServes() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("VOLUME [\"/app/models\", \"/app/data\"");
        String healthcheck = dockerfile.substring(dockerfile.indexOf("HEALTHCHECK"),
                dockerfile.indexOf("\n", dockerfile.indexOf("CMD curl")));
        assertThat(healthcheck).contains("${PORT").doesNotContain("localhost:8080");
        assertThat(dockerfile).doesNotContain("EXPOSE 8080 8000").contains("GENSERVE_JOBRUNR_DASHBOARD=false");
        assertThat(dockerfile).containsPattern("ARG CUDA_IMAGE=nvidia/cuda:[0-9.]+-cudnn-runtime")
                .contains("FROM ${CUDA_IMAGE} AS base-gpu").contains("FROM base-${FLAVOR} AS runtime")
                .contains("PYTORCH_FLAVOR=${PYTORCH_FLAVOR}");
        assertThat(dockerfile).contains("exec java $JAVA_MEMORY_OPTS $JAVA_GC_OPTS $JAVA_OPTS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeNeverPublishesTheJobRunrDashboardAndRequiresItsSecrets() throws IOException {
        String text = Files.readString(Path.of("docker-compose.yml"));
        Map<String, Object> compose = new Yaml().load(text);
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKeys("postgres", "genserve", "genserve-2");
        for (String name : List.of("genserve", "genserve-2")) {
            Map<String, Object> service = (Map<String, Object>) services.get(name);
            List<String> ports = (List<String>) service.get("ports");
            assertThat(ports).as(name).hasSize(1).allMatch(p -> p.endsWith(":8080"));
            Map<String, Object> env = (Map<String, Object>) service.get("environment");
            assertThat(String.valueOf(env.get("GENSERVE_API_KEY"))).startsWith("${GENSERVE_API_KEY:?");
            assertThat(String.valueOf(env.get("SPRING_DATASOURCE_PASSWORD"))).startsWith("${POSTGRES_PASSWORD:?");
            assertThat(env.get("GENSERVE_JOBRUNR_DASHBOARD")).isEqualTo("false");
            assertThat(String.valueOf(env.get("JAVA_OPTS"))).as("extra flags only, never the image's")
                    .doesNotContain("-XX");
            assertThat(String.valueOf(env.get("SPRING_DATASOURCE_URL"))).contains("//postgres:5432/");
            assertThat((List<String>) service.get("volumes")).anyMatch(v -> v.startsWith("models:/app/models"));
        }
        assertThat((List<String>) ((Map<String, Object>) services.get("genserve-2")).get("profiles"))
                .containsExactly("replicas");
        assertThat(text).doesNotContain("8000:8000");
    }
}
