package dev.genserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.processes.SnapshotStripEncoder;
import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Forward and reverse pictures over HTTP: POST /processes/simulate answers JSON by default and a PNG strip of its
 * snapshots for Accept: image/png; a trajectory sample request of an attractor model answers a strip of the reverse
 * process.
 */
@IntegrationTest
class ProcessPicturesTest {

    private static final String JSON = "application/json";

    @LocalServerPort
    int port;

    private HttpResponse<byte[]> post(String path, String body, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static BufferedImage png(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(image).isNotNull();
        return image;
    }

    /** Width of a strip of k panels (one row up to 6). */
    private static int stripWidth(int k) {
        return Math.min(6, k) * (SnapshotStripEncoder.PANEL_WIDTH) + 10;
    }

    @Test
    void simulationIsJsonByDefaultAndAStripOfSnapshotsAsPng() throws Exception {
        Http http = new Http(port);
        assertThat(http.send("POST", "/api/v1/datasets", "{\"builtin\":\"eight-gaussians\",\"n\":400,\"seed\":3,"
                + "\"name\":\"pictures-8g\"}", "Content-Type", JSON).status()).isEqualTo(201);
        String body = "{\"process\":\"attractor\",\"dataset\":\"pictures-8g\",\"n\":300,\"seed\":4,\"snapshots\":5,"
                + "\"steps\":40}";
        HttpResponse<byte[]> json = post("/api/v1/processes/simulate", body, null);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith(JSON);
        JsonNode view = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json.body());
        assertThat(view.get("snapshots").size()).isEqualTo(5);
        BufferedImage strip = png(post("/api/v1/processes/simulate", body, "image/png"));
        assertThat(strip.getWidth()).isEqualTo(stripWidth(5));
        BufferedImage vp = png(post("/api/v1/processes/simulate", body.replace("attractor", "vp")
                .replace("\"snapshots\":5", "\"snapshots\":8"), "image/png"));
        assertThat(vp.getHeight()).isGreaterThan(strip.getHeight()); // 8 panels wrap onto a second row
        assertThat(post("/api/v1/processes/simulate", body.replace("300", "1"), "image/png").statusCode())
                .isEqualTo(400);

        String job = http.send("POST", "/api/v1/jobs", "{\"model\":\"pictures-attractor\",\"family\":\"attractor\","
                + "\"dataset\":\"pictures-8g\",\"config\":{\"steps\":20,\"batchSize\":32,\"hidden\":16,\"depth\":1,"
                + "\"fourierFeatures\":8,\"simulationSteps\":10,\"cloudSize\":64}}", "Content-Type", JSON)
                .header("Location");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        String status;
        do {
            Thread.sleep(250);
            status = http.get(job).json().get("status").asString();
        } while (!status.matches("SUCCEEDED|FAILED|CANCELLED") && Instant.now().isBefore(deadline));
        assertThat(status).isEqualTo("SUCCEEDED");
        BufferedImage reverse = png(post("/api/v1/models/pictures-attractor/versions/latest/samples",
                "{\"n\":200,\"seed\":1,\"steps\":12,\"trajectory\":4}", "image/png"));
        assertThat(reverse.getWidth()).isEqualTo(stripWidth(4));
        BufferedImage scatter = png(post("/api/v1/models/pictures-attractor/versions/latest/samples",
                "{\"n\":200,\"seed\":1,\"steps\":12}", "image/png"));
        assertThat(scatter.getWidth()).isNotEqualTo(stripWidth(4));
    }
}
