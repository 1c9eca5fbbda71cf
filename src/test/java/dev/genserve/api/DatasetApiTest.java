package dev.genserve.api;

import static dev.genserve.api.ProblemDetailsTest.assertProblem;
import static dev.genserve.datasets.TestFiles.gzip;
import static dev.genserve.datasets.TestFiles.idxImages;
import static dev.genserve.datasets.TestFiles.idxLabels;
import static dev.genserve.datasets.TestFiles.npy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.datasets.DatasetService;
import dev.genserve.errors.NotFoundException;
import dev.genserve.datasets.DatasetSplit;
import dev.genserve.datasets.LoadedDataset;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** HTTP round trips of /api/v1/datasets against PostgreSQL. */
@IntegrationTest
@TestPropertySource(properties = {
        "genserve.datasets.max-upload-bytes=200KB",
        "spring.servlet.multipart.max-file-size=400KB",
        "spring.servlet.multipart.max-request-size=1MB"})
class DatasetApiTest {

    @LocalServerPort
    int port;

    @Autowired
    DatasetService service;

    static final HttpClient CLIENT = HttpClient.newHttpClient();

    record Part(String name, String fileName, byte[] content) {
        static Part field(String name, String value) {
            return new Part(name, null, value.getBytes(StandardCharsets.UTF_8));
        }

        static Part file(String name, String fileName, byte[] content) {
            return new Part(name, fileName, content);
        }
    }

    Http.Response upload(Part... parts) throws Exception {
        String boundary = "----genserve" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part p : parts) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\""
                    + (p.fileName() != null ? "; filename=\"" + p.fileName() + "\"\r\nContent-Type: application/octet-stream" : "")
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(p.content());
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers().map());
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Http http() {
        return new Http(port);
    }

    @Test
    void csvWithHeaderAndLabelColumnRoundTrips() throws Exception {
        String name = unique("iris");
        String csv = "x,y,species\n1.5,2,setosa\n3,4,virginica\n5,6.25,setosa\n";
        Http.Response r = upload(Part.file("file", "iris.csv", csv.getBytes()), Part.field("name", name),
                Part.field("labelColumn", "species"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode body = r.json();
        String id = body.path("id").asString();
        assertThat(r.header("Location")).isEqualTo("/api/v1/datasets/" + id);
        assertThat(body.path("rows").asInt()).isEqualTo(3);
        assertThat(body.path("cols").asInt()).isEqualTo(2);
        assertThat(body.path("format").asString()).isEqualTo("csv");
        assertThat(body.path("source").asString()).isEqualTo("upload");
        assertThat(body.path("hasLabels").asBoolean()).isTrue();
        assertThat(body.path("numClasses").asInt()).isEqualTo(2);
        assertThat(body.path("classNames").toString()).isEqualTo("[\"setosa\",\"virginica\"]");
        assertThat(body.path("sha256").asString()).hasSize(64)
                .isEqualTo(DatasetService.sha256(DatasetService.floatsLe(new float[] {1.5f, 2, 3, 4, 5, 6.25f})));
        assertThat(body.path("statistics").path("mean").path("values").get(0).asDouble()).isCloseTo(9.5 / 3, org.assertj.core.data.Offset.offset(1e-9));

        JsonNode got = http().get("/api/v1/datasets/" + id).json();
        assertThat(got.path("name").asString()).isEqualTo(name);
        assertThat(http().get("/api/v1/datasets/" + name).json().path("id").asString()).isEqualTo(id);

        JsonNode rows = http().get("/api/v1/datasets/" + id + "/rows?limit=2").json();
        assertThat(rows.path("data").toString()).isEqualTo("[[1.5,2.0],[3.0,4.0]]");
        assertThat(rows.path("labels").toString()).isEqualTo("[0,1]");

        LoadedDataset loaded = service.load(service.resolve(name));
        assertThat(loaded.rows().data()).containsExactly(1.5f, 2, 3, 4, 5, 6.25f);
        assertThat(loaded.labels()).containsExactly(0, 1, 0);
        assertThat(loaded.classNames()).containsExactly("setosa", "virginica");

        assertProblem(upload(Part.file("file", "iris.csv", csv.getBytes()), Part.field("name", name),
                Part.field("labelColumn", "species")), 409).path("detail").asString().contains(name);
    }

    @Test
    void npyFloat64AndIdxGzipWithLabels() throws Exception {
        Http.Response npy = upload(Part.file("file", "points.npy", npy(1, "<f8", false, "(3, 2)", new double[] {1, 2, 3, 4, 5, 6})),
                Part.field("name", unique("npy")));
        assertThat(npy.status()).as(npy.toString()).isEqualTo(201);
        assertThat(npy.json().path("shape").toString()).isEqualTo("[3,2]");
        assertThat(npy.json().path("format").asString()).isEqualTo("npy");

        String name = unique("idx");
        Http.Response idx = upload(Part.file("file", "train-images-idx3-ubyte.gz", gzip(idxImages(5, 4, 3))),
                Part.file("labels", "train-labels-idx1-ubyte.gz", gzip(idxLabels(1, 0, 2, 1, 0))),
                Part.field("name", name), Part.field("format", "idx"));
        assertThat(idx.status()).as(idx.toString()).isEqualTo(201);
        JsonNode b = idx.json();
        assertThat(b.path("imageShape").toString()).isEqualTo("[1,4,3]");
        assertThat(b.path("cols").asInt()).isEqualTo(12);
        assertThat(b.path("numClasses").asInt()).isEqualTo(3);
        LoadedDataset loaded = service.load(service.resolve(b.path("id").asString()));
        assertThat(loaded.isImage()).isTrue();
        assertThat(loaded.labels()).containsExactly(1, 0, 2, 1, 0);
        assertThat(loaded.rows().get(1, 1)).isEqualTo(8 / 255f);

        JsonNode mismatch = assertProblem(upload(Part.file("file", "i.idx", idxImages(5, 4, 3)),
                Part.file("labels", "l.idx", idxLabels(1, 0)), Part.field("name", unique("bad"))), 400);
        assertThat(mismatch.path("detail").asString()).isEqualTo("The IDX labels file has 2 labels but the images file has 5 images");
    }

    @Test
    void badFilesAre400WithPreciseDetail() throws Exception {
        JsonNode nan = assertProblem(upload(Part.file("file", "a.csv", "x,y\n1,2\n3,nan\n".getBytes()),
                Part.field("name", unique("nan"))), 400);
        assertThat(nan.path("detail").asString()).isEqualTo("NaN at line 3 (data row 2), column 2 ('y'); NaN and Inf values are not allowed");
        JsonNode ragged = assertProblem(upload(Part.file("file", "a.csv", "1,2\n3,4\n5,6,7\n".getBytes()),
                Part.field("name", unique("ragged"))), 400);
        assertThat(ragged.path("detail").asString()).isEqualTo("Ragged rows: line 3 has 3 values, expected 2 (as on line 1)");
        JsonNode empty = assertProblem(upload(Part.file("file", "a.csv", new byte[0]), Part.field("name", unique("empty"))), 400);
        assertThat(empty.path("detail").asString()).isEqualTo("The CSV file is empty");
        JsonNode oneD = assertProblem(upload(Part.file("file", "a.npy", npy(1, "<f4", false, "(3,)", new double[] {1, 2, 3})),
                Part.field("name", unique("oned"))), 400);
        assertThat(oneD.path("detail").asString()).startsWith("The NPY array is 1-D with shape (3,)");
        JsonNode unknown = assertProblem(upload(Part.file("file", "a.bin", new byte[] {1}), Part.field("name", unique("x"))), 400);
        assertThat(unknown.path("detail").asString()).contains("pass format=csv, npy or idx");
        assertProblem(upload(Part.file("file", "a.csv", "1\n2\n".getBytes()), Part.field("name", "../etc")), 400);
        assertThat(service.list(0, 500).getContent()).noneMatch(d -> d.name().startsWith("nan-") || d.name().startsWith("ragged-"));
    }

    @Test
    void oversizeUploadsAre413() throws Exception {
        // over genserve.datasets.max-upload-bytes (200 KB), under the multipart limit
        JsonNode ours = assertProblem(upload(Part.file("file", "big.csv", "1\n".repeat(150_000).getBytes()),
                Part.field("name", unique("big"))), 413);
        assertThat(ours.path("detail").asString()).contains("limit of 204800 bytes");
        // over spring.servlet.multipart.max-file-size (400 KB), under max-request-size
        JsonNode spring = assertProblem(upload(Part.file("file", "big.csv", "1\n".repeat(300_000).getBytes()),
                Part.field("name", unique("big"))), 413);
        assertThat(spring.path("detail").asString()).contains("Upload exceeds");
        // over max-request-size: rejected by the size filter from Content-Length
        JsonNode filter = assertProblem(upload(Part.file("file", "big.csv", "1\n".repeat(600_000).getBytes()),
                Part.field("name", unique("big"))), 413);
        assertThat(filter.path("detail").asString()).contains("exceeds the limit of 1048576 bytes");
    }

    @Test
    void builtinCreateListGetRowsDelete() throws Exception {
        String name = unique("moons");
        Http.Response created = http().send("POST", "/api/v1/datasets",
                "{\"builtin\":\"moons\",\"n\":500,\"seed\":3,\"name\":\"" + name + "\"}", "Content-Type", "application/json");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode b = created.json();
        String id = b.path("id").asString();
        assertThat(b.path("source").asString()).isEqualTo("builtin");
        assertThat(b.path("rows").asInt()).isEqualTo(500);
        assertThat(b.path("numClasses").asInt()).isEqualTo(2);
        LoadedDataset loaded = service.load(UUID.fromString(id));
        assertThat(loaded.rows()).isEqualTo(ToyDistributions.byName("moons", 500, 3));
        DatasetSplit split = DatasetSplit.split(loaded, 0.1, 0);
        assertThat(split.heldOut().rows()).isEqualTo(50);

        assertProblem(http().send("POST", "/api/v1/datasets", "{\"builtin\":\"moons\",\"n\":500,\"name\":\"" + name + "\"}",
                "Content-Type", "application/json"), 409);
        assertThat(assertProblem(http().send("POST", "/api/v1/datasets", "{\"builtin\":\"nope\"}",
                "Content-Type", "application/json"), 400).path("detail").asString()).contains("moons");

        JsonNode builtinList = http().get("/api/v1/datasets/builtins?size=200").json();
        List<String> builtins = new ArrayList<>();
        builtinList.path("items").forEach(n -> builtins.add(n.path("name").asString()));
        assertThat(builtins).containsAll(ToyDistributions.NAMES);
        Http.Response listed = http().get("/api/v1/datasets?page=0&size=200");
        JsonNode list = listed.json();
        List<String> stored = new ArrayList<>();
        list.path("items").forEach(n -> stored.add(n.path("name").asString()));
        assertThat(stored).contains(name);
        assertThat(list.path("totalItems").asLong()).isEqualTo(Long.parseLong(listed.header("X-Total-Count")));
        assertThat(listed.header("Link")).contains("rel=\"first\"").contains("rel=\"last\"");
        assertThat(list.toString()).doesNotContain("\"data\"");
        assertProblem(http().get("/api/v1/datasets?page=2147483647&size=200"), 400);

        JsonNode rows = http().get("/api/v1/datasets/" + id + "/rows?limit=3").json();
        assertThat(rows.path("data").size()).isEqualTo(3);
        assertProblem(http().get("/api/v1/datasets/" + id + "/rows?limit=100000"), 400);

        assertThat(http().send("DELETE", "/api/v1/datasets/" + id, (String) null).status()).isEqualTo(204);
        assertProblem(http().get("/api/v1/datasets/" + id), 404);
        assertProblem(http().send("DELETE", "/api/v1/datasets/" + id, (String) null), 404);
    }

    @Test
    void resolveByIdNameOrBuiltinReference() {
        var pending = service.resolve("builtin:circles?n=200&seed=5");
        assertThat(pending.isStored()).as("resolving stores nothing").isFalse();
        assertThat(pending.name()).isEqualTo("circles-n200-s5");
        var a = service.store(pending);
        var b = service.store(service.resolve("builtin:circles?n=200&seed=5"));
        assertThat(a.id()).isEqualTo(b.id());
        assertThat(service.store(pending).id()).as("storing again finds the same row").isEqualTo(a.id());
        assertThat(a.name()).isEqualTo("circles-n200-s5");
        assertThat(service.resolve(a.id().toString()).name()).isEqualTo(a.name());
        assertThat(service.resolve(a.name()).stored().id()).isEqualTo(a.id());
        assertThatThrownBy(() -> service.resolve("no-such-dataset")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Dataset 'no-such-dataset' does not exist");
        assertThatThrownBy(() -> service.resolve("builtin:nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("builtin:moons");
        JsonNode notFound = assertProblem(http().get("/api/v1/datasets/" + UUID.randomUUID()), 404);
        assertThat(notFound.path("detail").asString()).contains("does not exist");
    }

    @Test
    void fashionMnistBuiltinWhenPresent() {
        if (service.builtins().find("fashion-mnist").isEmpty()) {
            assertThat(service.listBuiltins()).noneMatch(x -> x.name().equals("fashion-mnist"));
            return;
        }
        var info = service.store(service.resolve("builtin:fashion-mnist?n=100"));
        assertThat(info.rows()).isEqualTo(100);
        assertThat(info.cols()).isEqualTo(784);
        LoadedDataset d = service.load(info.id());
        assertThat(d.imageShape()).containsExactly(1, 28, 28);
        assertThat(d.classNames()).hasSize(10);
        assertThat(d.standardizer().mean()).hasSize(784);
    }

    @Test
    void simulationsOnBuiltinReferencesStoreNothing() {
        long before = service.list(0, 500).getTotalElements();
        for (long seed = 900_001; seed <= 900_004; seed++) {
            Http.Response r = http().send("POST", "/api/v1/processes/simulate", "{\"process\":\"vp\",\"dataset\":"
                    + "\"builtin:moons?n=300&seed=" + seed + "\",\"n\":50,\"steps\":5,\"snapshots\":2}",
                    "Content-Type", "application/json");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("snapshots").size()).isEqualTo(2);
        }
        assertThat(service.list(0, 500).getTotalElements()).as("datasets stored by simulations").isEqualTo(before);
        assertThat(http().get("/api/v1/datasets/moons-n300-s900001").status()).isEqualTo(404);
    }
}
