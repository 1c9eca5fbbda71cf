package dev.genserve.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bad-input corpus (issue 14): well over 200 malformed, out-of-range, mistyped, oversized or hostile requests
 * against every endpoint, each sent as raw HTTP with a valid API key so that it reaches validation. Every one must be
 * answered with the expected 4xx as {@code application/problem+json} whose {@code status} matches; not one 5xx, not
 * one HTML page. Afterwards nothing the corpus named exists: no dataset, model, job, version, alias or artifact.
 */
@ProtectedApi
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = ProtectedApi.KEY;
    private static final String DS = ProtectedApi.DATASET;
    private static final String MODEL = ProtectedApi.MODEL;
    private static final String SAMPLES = "/api/v1/models/" + MODEL + "/versions/latest/samples";
    private static final String LIKELIHOOD = "/api/v1/models/" + MODEL + "/versions/latest/likelihood";
    private static final String JOB = "{\"model\":\"corpus-x\",\"family\":\"diffusion\",\"dataset\":\"" + DS
            + "\",\"config\":{\"steps\":5,\"hidden\":8,\"depth\":1}}";
    private static final String SIM = "{\"process\":\"vp\",\"dataset\":\"" + DS + "\",\"n\":50,\"steps\":10,\"snapshots\":2";
    private static final String[] DEEP_EXPRESSIONS = {
        "exp(".repeat(5000) + "x" + ")".repeat(5000),
        "(".repeat(5000) + "x" + ")".repeat(5000),
        "-".repeat(100_000) + "x",
        "x+".repeat(200_000) + "x",
        "(".repeat(40) + "x" + ")".repeat(40),
        "-".repeat(40) + "x"};

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    UUID succeededJob;
    int cases;

    /** One request of the corpus and the status it must get. */
    record Case(String name, String method, String path, List<String> headers, byte[] body, Set<Integer> expected) {}

    @BeforeAll
    void trainTheModelTheSampleCasesCall() throws Exception {
        TinyModel.ensure(new Http(port), DS, MODEL, ProtectedApi.MODEL_CONFIG, "X-API-Key", KEY);
        succeededJob = jdbc.queryForObject("select id from training_job where model_name = ? and status = 'SUCCEEDED'"
                + " order by created_at limit 1", UUID.class, MODEL);
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestIsA4xxProblem() {
        List<Case> corpus = corpus();
        cases = corpus.size();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
        return corpus.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Case c) {
        StringBuilder head = new StringBuilder(c.method() + " " + c.path() + " HTTP/1.1\r\nHost: localhost");
        boolean hasKey = false;
        for (int i = 0; i < c.headers().size(); i += 2) {
            head.append("\r\n").append(c.headers().get(i)).append(": ").append(c.headers().get(i + 1));
            hasKey |= c.headers().get(i).equalsIgnoreCase("X-API-Key");
        }
        if (!hasKey) {
            head.append("\r\nX-API-Key: ").append(KEY);
        }
        if (c.body() != null) {
            head.append("\r\nContent-Length: ").append(c.body().length);
        }
        RawHttp.Response r = RawHttp.send(port, head.toString(), c.body());
        assertThat(r.status()).as(c.name() + ": " + r).isBetween(400, 499);
        assertThat(c.expected()).as(c.name() + ": " + r).contains(r.status());
        assertThat(r.contentType()).as(c.name() + ": " + r).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("status").asInt()).as(c.name() + ": " + r).isEqualTo(r.status());
        assertThat(problem.path("title").asString()).as(c.name()).isNotBlank();
    }

    @AfterAll
    void nothingTheCorpusNamedWasCreated() {
        assertThat(cases).isGreaterThanOrEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from dataset where name like 'corpus-%'", Integer.class))
                .as("datasets").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from dataset where name like '%-s424242'", Integer.class))
                .as("built-ins materialised by refused requests").isZero();
        assertThat(jdbc.queryForObject("select count(*) from model where name like 'corpus-%'", Integer.class))
                .as("models").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from training_job where model_name like 'corpus-%'", Integer.class))
                .as("jobs").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from model_version v join model m on m.id = v.model_id"
                + " where m.name = ?", Integer.class, MODEL)).as("versions").isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from model_alias_history h join model m on m.id = h.model_id"
                + " where m.name = ?", Integer.class, MODEL)).as("alias moves").isZero();
        assertThat(jdbc.queryForObject("select status from training_job where id = ?", String.class, succeededJob))
                .isEqualTo("SUCCEEDED");
    }

    // ------------------------------------------------------------------------------------------- the corpus

    private List<Case> corpus() {
        List<Case> all = new ArrayList<>();
        jobs(all);
        jobReads(all);
        simulations(all);
        datasets(all);
        uploads(all);
        models(all);
        samples(all);
        likelihood(all);
        paths(all);
        return all;
    }

    private void jobs(List<Case> all) {
        String[] malformed = {"{", "{\"model\":}", "[", "null", "\"text\"", "123", "{\"model\":\"a\",}", JOB + " {}",
            "{\"model\":\"a\" \"family\":\"b\"}", "{'model':'a'}", "\u0000"};
        for (String body : malformed) {
            all.add(json("POST /jobs malformed " + abbreviate(body), "POST", "/api/v1/jobs", body, 400));
        }
        all.add(json("POST /jobs empty body", "POST", "/api/v1/jobs", "", 400));
        all.add(raw("POST /jobs text/plain", "POST", "/api/v1/jobs", JOB, Set.of(415), "Content-Type", "text/plain"));
        all.add(raw("POST /jobs xml", "POST", "/api/v1/jobs", "<job/>", Set.of(415), "Content-Type", "application/xml"));
        all.add(raw("POST /jobs no content type", "POST", "/api/v1/jobs", JOB, Set.of(415)));
        String[][] fields = {
            {"model", "12"}, {"model", "true"}, {"model", "[]"}, {"model", "{}"}, {"model", "\"\""}, {"model", "\" \""},
            {"model", "\"a b\""}, {"model", "\"../x\""}, {"model", "\"" + "m".repeat(101) + "\""}, {"model", "\"_jobs\""},
            {"model", "\"..\""}, {"model", "null"}, {"family", "7"}, {"family", "\"nope\""}, {"family", "null"},
            {"family", "[\"diffusion\"]"}, {"dataset", "5"}, {"dataset", "\"\""}, {"dataset", "\"builtin:moons?n=x\""},
            {"dataset", "\"builtin:moons?n=1\""}, {"dataset", "\"builtin:moons?n=2000001\""},
            {"dataset", "\"builtin:moons?foo=1&seed=424242\""}, {"dataset", "\"builtin:moons?n=%zz&seed=424242\""},
            {"dataset", "\"builtin:moons?seed=1.5\""}, {"heldOutFraction", "0"}, {"heldOutFraction", "0.9"},
            {"heldOutFraction", "-1"}, {"heldOutFraction", "\"0.1\""}, {"heldOutFraction", "1e400"},
            {"splitSeed", "1.5"}, {"splitSeed", "\"1\""}, {"splitSeed", "1e30"}, {"checkpointEvery", "0"},
            {"checkpointEvery", "2.5"}, {"checkpointEvery", "\"10\""}, {"checkpointEvery", "-5"},
            {"config", "[]"}, {"config", "\"x\""}, {"config", "3"}, {"config", "{\"nope\":1}"},
            {"config", "{\"steps\":2.5}"}, {"config", "{\"steps\":\"5\"}"}, {"config", "{\"steps\":0}"},
            {"config", "{\"steps\":-1}"}, {"config", "{\"steps\":1e20}"}, {"config", "{\"steps\":true}"},
            {"config", "{\"learningRate\":\"0.1\"}"}, {"config", "{\"learningRate\":1e400}"},
            {"config", "{\"learningRate\":-1}"}, {"config", "{\"hidden\":0}"}, {"config", "{\"depth\":2.5}"},
            {"config", "{\"sde\":[1]}"}, {"config", "{\"sde\":{\"type\":\"nope\"}}"},
            {"config", "{\"sde\":{\"type\":\"ve\",\"sigmaMax\":\"Infinity\"}}"},
            {"config", "{\"sde\":{\"type\":\"ve\",\"sigmaMax\":1e400}}"},
            {"config", "{\"sde\":{\"type\":\"ve\",\"sigmaMax\":\"NaN\"}}"},
            {"config", "{\"sde\":{\"type\":\"ve\",\"sigmaMax\":-1}}"},
            {"config", "{\"sde\":{\"type\":\"vp\",\"betaMax\":\"20\"}}"},
            {"config", "{\"sde\":{\"type\":\"composed\",\"drift\":\"y\",\"diffusion\":\"1\"}}"},
            {"config", "{\"sde\":{\"type\":\"composed\",\"drift\":\"\",\"diffusion\":\"1\"}}"},
            {"config", "{\"sde\":{\"type\":\"composed\",\"drift\":5,\"diffusion\":\"1\"}}"},
            {"config", "{\"positives\":64}"}, {"modle", "\"x\""}};
        for (String[] f : fields) {
            all.add(json("POST /jobs " + f[0] + "=" + abbreviate(f[1]), "POST", "/api/v1/jobs", withField(JOB, f[0], f[1]), 400));
        }
        all.add(json("POST /jobs unknown dataset", "POST", "/api/v1/jobs", withField(JOB, "dataset", "\"no-such\""), 404));
        all.add(json("POST /jobs unknown builtin", "POST", "/api/v1/jobs", withField(JOB, "dataset", "\"builtin:nope\""), 404));
        all.add(json("POST /jobs missing model", "POST", "/api/v1/jobs", without(JOB, "model"), 400));
        all.add(json("POST /jobs missing dataset", "POST", "/api/v1/jobs", without(JOB, "dataset"), 400));
        all.add(json("POST /jobs drifting with a diffusion key", "POST", "/api/v1/jobs", withField(withField(withField(JOB,
                "family", "\"drifting\""), "model", "\"corpus-d\""), "config", "{\"sde\":{\"type\":\"vp\"}}"), 400));
        all.add(json("POST /jobs attractor alpha<0", "POST", "/api/v1/jobs", withField(withField(withField(JOB,
                "family", "\"attractor\""), "model", "\"corpus-a\""), "config", "{\"alpha\":-1}"), 400));
        all.add(json("POST /jobs family of another model", "POST", "/api/v1/jobs", withField(withField(JOB,
                "family", "\"drifting\""), "model", "\"" + MODEL + "\""), 409));
        for (int i = 0; i < DEEP_EXPRESSIONS.length; i++) {
            String sde = "{\"sde\":{\"type\":\"composed\",\"drift\":\"" + DEEP_EXPRESSIONS[i] + "\",\"diffusion\":\"1\"}}";
            all.add(json("POST /jobs deep drift #" + i, "POST", "/api/v1/jobs", withField(JOB, "config", sde), 400));
            String sde2 = "{\"sde\":{\"type\":\"composed\",\"drift\":\"-x\",\"diffusion\":\"" + DEEP_EXPRESSIONS[i] + "\"}}";
            all.add(json("POST /jobs deep diffusion #" + i, "POST", "/api/v1/jobs", withField(JOB, "config", sde2), 400));
        }
        all.add(json("POST /jobs nested 5000 deep", "POST", "/api/v1/jobs",
                withField(JOB, "config", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), 400));
        all.add(raw("POST /jobs Accept image/png", "POST", "/api/v1/jobs", withField(JOB, "model", "\"corpus-png\""),
                Set.of(406), "Content-Type", "application/json", "Accept", "image/png"));
        all.add(raw("POST /jobs Accept text/html", "POST", "/api/v1/jobs", withField(JOB, "model", "\"corpus-html\""),
                Set.of(406), "Content-Type", "application/json", "Accept", "text/html"));
        all.add(raw("POST /jobs Idempotency-Key too long", "POST", "/api/v1/jobs", withField(JOB, "model", "\"corpus-k1\""),
                Set.of(400), "Content-Type", "application/json", "Idempotency-Key", "k".repeat(201)));
        all.add(raw("POST /jobs Idempotency-Key with a space", "POST", "/api/v1/jobs", withField(JOB, "model", "\"corpus-k2\""),
                Set.of(400), "Content-Type", "application/json", "Idempotency-Key", "a b"));
        all.add(raw("PUT /jobs", "PUT", "/api/v1/jobs", JOB, Set.of(405), "Content-Type", "application/json"));
        all.add(raw("DELETE /jobs", "DELETE", "/api/v1/jobs", null, Set.of(405)));
        all.add(raw("PATCH /jobs/{id}", "PATCH", "/api/v1/jobs/" + UUID.randomUUID(), "{}", Set.of(405),
                "Content-Type", "application/json"));
        all.add(raw("POST /jobs/{unknown}/cancel", "POST", "/api/v1/jobs/" + UUID.randomUUID() + "/cancel", null, Set.of(404)));
        all.add(raw("POST /jobs/{not-uuid}/cancel", "POST", "/api/v1/jobs/not-a-uuid/cancel", null, Set.of(400)));
        all.add(raw("POST /jobs/{finished}/cancel", "POST", "/api/v1/jobs/" + succeededJob + "/cancel", null, Set.of(409)));
    }

    private void jobReads(List<Case> all) {
        String[] queries = {"page=2147483647&size=200", "page=-1", "size=0", "size=201", "page=x", "size=x",
            "status=nope", "page=1.5", "size=1e3", "page=99999999999"};
        for (String q : queries) {
            all.add(raw("GET /jobs?" + q, "GET", "/api/v1/jobs?" + q, null, Set.of(400)));
        }
        all.add(raw("GET /jobs/{not-uuid}", "GET", "/api/v1/jobs/not-a-uuid", null, Set.of(400)));
        all.add(raw("GET /jobs/{unknown}", "GET", "/api/v1/jobs/" + UUID.randomUUID(), null, Set.of(404)));
        all.add(raw("GET /jobs/{uuid, one digit short}", "GET", "/api/v1/jobs/" + UUID.randomUUID().toString().substring(1),
                null, Set.of(400, 404)));
        all.add(raw("GET /jobs/{uuid with a letter g}", "GET", "/api/v1/jobs/g" + UUID.randomUUID().toString().substring(1),
                null, Set.of(400)));
    }

    private void simulations(List<Case> all) {
        String path = "/api/v1/processes/simulate";
        String[] params = {"[1]", "\"x\"", "3", "true", "{\"nope\":1}", "{\"betaMax\":\"20\"}"};
        for (String p : params) {
            all.add(json("POST simulate params=" + p, "POST", path, SIM + ",\"params\":" + p + "}", 400));
        }
        String[][] fields = {{"process", "\"nope\""}, {"process", "5"}, {"n", "0"}, {"n", "1"}, {"n", "2.5"},
            {"n", "\"5\""}, {"n", "1e400"}, {"steps", "0"}, {"steps", "10001"}, {"steps", "2.5"}, {"steps", "\"10\""},
            {"snapshots", "0"}, {"snapshots", "201"}, {"snapshots", "\"3\""}, {"snapshots", "2.5"}, {"snapshots", "12"},
            {"dataset", "\"\""}, {"dataset", "7"}, {"dataset", "\"builtin:moons?n=1\""}, {"seed", "\"x\""},
            {"seed", "1.5"}, {"nope", "1"}};
        for (String[] f : fields) {
            all.add(json("POST simulate " + f[0] + "=" + f[1], "POST", path, withField(SIM + "}", f[0], f[1]), 400));
        }
        all.add(json("POST simulate n over the limit", "POST", path, withField(SIM + "}", "n", "5001"), 413));
        all.add(json("POST simulate unknown dataset", "POST", path, withField(SIM + "}", "dataset", "\"no-such\""), 404));
        all.add(json("POST simulate attractor steps 100001", "POST", path,
                "{\"process\":\"attractor\",\"dataset\":\"" + DS + "\",\"n\":50,\"steps\":100001}", 400));
        all.add(json("POST simulate attractor over the work budget", "POST", path,
                "{\"process\":\"attractor\",\"dataset\":\"builtin:moons?n=6000&seed=424242\",\"n\":5000,\"steps\":100000}", 422));
        for (int i = 0; i < DEEP_EXPRESSIONS.length; i++) {
            all.add(json("POST simulate composed deep drift #" + i, "POST", path, "{\"process\":\"composed\",\"dataset\":\""
                    + DS + "\",\"n\":20,\"steps\":5,\"params\":{\"drift\":\"" + DEEP_EXPRESSIONS[i] + "\",\"diffusion\":\"1\"}}", 400));
        }
        all.add(json("POST simulate composed unbalanced", "POST", path, "{\"process\":\"composed\",\"dataset\":\"" + DS
                + "\",\"n\":20,\"steps\":5,\"params\":{\"drift\":\"((x\",\"diffusion\":\"1\"}}", 400));
        for (String sigma : new String[] {"\"Infinity\"", "1e400", "\"NaN\"", "-1"}) {
            all.add(json("POST simulate ve sigmaMax=" + sigma, "POST", path, "{\"process\":\"ve\",\"dataset\":\"" + DS
                    + "\",\"n\":20,\"steps\":5,\"params\":{\"sigmaMax\":" + sigma + "}}", 400));
        }
        all.add(json("POST simulate malformed", "POST", path, "{\"process\":", 400));
        all.add(raw("POST simulate text/plain", "POST", path, SIM + "}", Set.of(415), "Content-Type", "text/plain"));
        // simulate answers application/json or an image/png strip (ProcessPicturesTest); anything else is a 406
        all.add(raw("POST simulate Accept text/csv", "POST", path, SIM + "}", Set.of(406),
                "Content-Type", "application/json", "Accept", "text/csv"));
        all.add(raw("GET simulate", "GET", path, null, Set.of(405)));
    }

    private void datasets(List<Case> all) {
        String path = "/api/v1/datasets";
        String base = "{\"builtin\":\"moons\",\"n\":100,\"seed\":424242,\"name\":\"corpus-new\"}";
        String[][] fields = {{"builtin", "null"}, {"builtin", "\"nope\""}, {"builtin", "5"}, {"n", "1"}, {"n", "2.5"},
            {"n", "\"5\""}, {"n", "1e400"}, {"n", "2000001"}, {"n", "-3"}, {"seed", "\"x\""}, {"seed", "1.5"},
            {"name", "\"bad name\""}, {"name", "\"" + UUID.randomUUID() + "\""}, {"name", "5"},
            {"name", "\"" + "d".repeat(101) + "\""}, {"nope", "1"}};
        for (String[] f : fields) {
            all.add(json("POST /datasets " + f[0] + "=" + abbreviate(f[1]), "POST", path, withField(base, f[0], f[1]), 400));
        }
        all.add(json("POST /datasets duplicate name", "POST", path, withField(base, "name", "\"" + DS + "\""), 409));
        all.add(json("POST /datasets malformed", "POST", path, "{\"builtin\":", 400));
        all.add(raw("POST /datasets text/plain", "POST", path, base, Set.of(415), "Content-Type", "text/plain"));
        all.add(raw("PUT /datasets", "PUT", path, base, Set.of(405), "Content-Type", "application/json"));
        all.add(raw("PATCH /datasets/{name}", "PATCH", path + "/" + DS, "{}", Set.of(405), "Content-Type", "application/json"));
        String[] listQueries = {"page=-1", "size=0", "size=501", "page=2147483647&size=500", "page=x", "size=1.5"};
        for (String q : listQueries) {
            all.add(raw("GET /datasets?" + q, "GET", path + "?" + q, null, Set.of(400)));
        }
        all.add(raw("GET /datasets/{unknown}", "GET", path + "/no-such", null, Set.of(404)));
        all.add(raw("GET /datasets/{unknown uuid}", "GET", path + "/" + UUID.randomUUID(), null, Set.of(404)));
        for (String q : new String[] {"limit=0", "limit=1001", "limit=x", "limit=-1", "limit=1e2"}) {
            all.add(raw("GET /datasets/{name}/rows?" + q, "GET", path + "/" + DS + "/rows?" + q, null, Set.of(400)));
        }
        all.add(raw("GET /datasets/{unknown}/rows", "GET", path + "/no-such/rows", null, Set.of(404)));
        all.add(raw("DELETE /datasets/{unknown}", "DELETE", path + "/no-such", null, Set.of(404)));
        all.add(raw("DELETE /datasets/{in use}", "DELETE", path + "/" + DS, null, Set.of(409)));
    }

    private void uploads(List<Case> all) {
        String path = "/api/v1/datasets";
        all.add(raw("upload without boundary", "POST", path, "hello", Set.of(400), "Content-Type", "multipart/form-data"));
        all.add(raw("upload without closing boundary", "POST", path,
                "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n1,2\r\n", Set.of(400),
                "Content-Type", "multipart/form-data; boundary=XX"));
        all.add(raw("upload with a truncated part header", "POST", path, "--XX\r\nContent-Disposition: form-da",
                Set.of(400), "Content-Type", "multipart/form-data; boundary=XX"));
        all.add(raw("upload with an empty body", "POST", path, "", Set.of(400), "Content-Type", "multipart/form-data; boundary=XX"));
        all.add(multipart("upload without a file part", List.of(field("name", "corpus-u1")), 400));
        String[][] files = {
            {"a.csv", "x,y\n1,NaN\n2,3\n", "corpus-u2"}, {"b.csv", "x,y\n1,2\n3\n", "corpus-u3"},
            {"c.csv", "x,y\n1,abc\n", "corpus-u4"}, {"d.csv", "", "corpus-u5"}, {"e.csv", "x,y\n", "corpus-u6"},
            {"f.csv", "x,y\n1,Infinity\n", "corpus-u7"}, {"g.csv", "x,y\n1,1e400\n", "corpus-u8"},
            {"h.npy", "not numpy", "corpus-u9"}, {"i.idx", "not idx", "corpus-u10"}, {"noext", "1,2\n", "corpus-u11"},
            {"j.xlsx", "1,2\n", "corpus-u12"}, {"k.csv", "x,y\n1,2\n", "bad name!"}, {"l.csv", "x,y\n1,2\n", DS}};
        for (String[] f : files) {
            int status = f[2].equals(DS) ? 409 : 400;
            all.add(multipart("upload " + f[0] + " " + abbreviate(f[1]), List.of(file("file", f[0], f[1]), field("name", f[2])), status));
        }
        all.add(multipart("upload csv with labels file", List.of(file("file", "m.csv", "x\n1\n2\n"),
                file("labels", "l.idx", "xx"), field("name", "corpus-u13")), 400));
        all.add(multipart("upload npy with labelColumn", List.of(file("file", "m.npy", "xx"),
                field("labelColumn", "y"), field("name", "corpus-u14")), 400));
        all.add(multipart("upload unknown format", List.of(file("file", "m.csv", "x\n1\n"),
                field("format", "parquet"), field("name", "corpus-u15")), 400));
        all.add(multipart("upload unknown label column", List.of(file("file", "m.csv", "x,y\n1,2\n"),
                field("labelColumn", "z"), field("name", "corpus-u16")), 400));
    }

    private void models(List<Case> all) {
        String m = "/api/v1/models/" + MODEL;
        all.add(raw("GET /models/{unknown}", "GET", "/api/v1/models/no-such", null, Set.of(404)));
        all.add(raw("GET /models/{unknown}/versions", "GET", "/api/v1/models/no-such/versions", null, Set.of(404)));
        all.add(raw("GET version 999", "GET", m + "/versions/999", null, Set.of(404)));
        all.add(raw("GET version 99999999999", "GET", m + "/versions/99999999999", null, Set.of(404)));
        all.add(raw("GET version by unknown alias", "GET", m + "/versions/nope", null, Set.of(404)));
        all.add(raw("GET alias history at=notadate", "GET", m + "/aliases/production/history?at=notadate", null, Set.of(400)));
        all.add(raw("GET alias history at=unknown alias", "GET", m + "/aliases/nope/history?at=2020-01-01T00:00:00Z", null,
                Set.of(404)));
        all.add(raw("DELETE version abc", "DELETE", m + "/versions/abc", null, Set.of(400)));
        all.add(raw("DELETE version 999", "DELETE", m + "/versions/999", null, Set.of(404)));
        all.add(raw("DELETE version 2147483648", "DELETE", m + "/versions/2147483648", null, Set.of(400)));
        all.add(raw("DELETE alias nope", "DELETE", m + "/aliases/nope", null, Set.of(404)));
        String alias = m + "/aliases/production";
        String[] bodies = {"{}", "{\"version\":\"\"}", "{\"version\":12}", "{\"version\":1.5}", "{\"version\":true}",
            "{\"version\":null}", "{\"version\":\"1\",\"extra\":1}", "{\"version\":", "[]"};
        for (String b : bodies) {
            all.add(json("PUT alias " + b, "PUT", alias, b, 400));
        }
        all.add(json("PUT alias to version 999", "PUT", alias, "{\"version\":\"999\"}", 404));
        all.add(json("PUT alias 'latest'", "PUT", m + "/aliases/latest", "{\"version\":\"1\"}", 400));
        all.add(json("PUT alias 1bad", "PUT", m + "/aliases/1bad", "{\"version\":\"1\"}", 400));
        all.add(json("PUT alias 65 chars", "PUT", m + "/aliases/" + "a".repeat(65), "{\"version\":\"1\"}", 400));
        all.add(json("PUT alias of an unknown model", "PUT", "/api/v1/models/no-such/aliases/production", "{\"version\":\"1\"}", 404));
        all.add(raw("PUT alias text/plain", "PUT", alias, "{\"version\":\"1\"}", Set.of(415), "Content-Type", "text/plain"));
        all.add(raw("PUT alias Accept image/png", "PUT", alias, "{\"version\":\"1\"}", Set.of(406),
                "Content-Type", "application/json", "Accept", "image/png"));
        all.add(raw("POST /models", "POST", "/api/v1/models", "{}", Set.of(405), "Content-Type", "application/json"));
    }

    private void samples(List<Case> all) {
        String[][] fields = {{"n", "0"}, {"n", "-1"}, {"n", "2.5"}, {"n", "\"5\""}, {"n", "1e400"}, {"n", "true"},
            {"steps", "0"}, {"steps", "2.5"}, {"steps", "100001"}, {"steps", "\"5\""}, {"sampler", "\"nope\""},
            {"sampler", "5"}, {"guidance", "1.0"}, {"class", "1"}, {"trajectory", "-1"}, {"trajectory", "1001"},
            {"trajectory", "2.5"}, {"seed", "\"x\""}, {"seed", "1.5"}, {"seed", "1e400"}, {"nope", "1"}};
        for (String[] f : fields) {
            all.add(json("POST samples " + f[0] + "=" + f[1], "POST", SAMPLES, withField("{\"n\":3,\"steps\":5}", f[0], f[1]), 400));
        }
        all.add(json("POST samples n over the limit", "POST", SAMPLES, "{\"n\":100001}", 413));
        all.add(json("POST samples too many values", "POST", SAMPLES, "{\"n\":100000,\"steps\":5,\"trajectory\":1000}", 413));
        all.add(json("POST samples over the work budget", "POST", SAMPLES, "{\"n\":100000,\"steps\":100000}", 422));
        all.add(json("POST samples over the budget by n", "POST", SAMPLES, "{\"n\":100000,\"steps\":20000}", 422));
        // image/png draws a trajectory as a strip of snapshots (ProcessPicturesTest), so only csv and npy refuse it
        for (String accept : new String[] {"text/csv", "application/x-npy"}) {
            all.add(raw("POST samples trajectory as " + accept, "POST", SAMPLES, "{\"n\":3,\"steps\":5,\"trajectory\":2}",
                    Set.of(400), "Content-Type", "application/json", "Accept", accept));
        }
        all.add(raw("POST samples Accept text/html", "POST", SAMPLES, "{\"n\":3}", Set.of(406),
                "Content-Type", "application/json", "Accept", "text/html"));
        all.add(raw("POST samples Accept application/xml", "POST", SAMPLES, "{\"n\":3}", Set.of(406),
                "Content-Type", "application/json", "Accept", "application/xml"));
        all.add(raw("POST samples text/plain", "POST", SAMPLES, "{\"n\":3}", Set.of(415), "Content-Type", "text/plain"));
        all.add(json("POST samples malformed", "POST", SAMPLES, "{\"n\":", 400));
        all.add(json("POST samples of an unknown model", "POST", "/api/v1/models/no-such/versions/latest/samples", "{\"n\":3}", 404));
        all.add(json("POST samples of version 999", "POST", "/api/v1/models/" + MODEL + "/versions/999/samples", "{\"n\":3}", 404));
        all.add(json("POST samples of an unknown alias", "POST", "/api/v1/models/" + MODEL + "/versions/nope/samples", "{\"n\":3}", 404));
        all.add(raw("GET samples", "GET", SAMPLES, null, Set.of(405)));
    }

    private void likelihood(List<Case> all) {
        String ok = "{\"rows\":[[0.1,0.2]],\"steps\":5}";
        String[][] fields = {{"rows", "\"x\""}, {"rows", "[]"}, {"rows", "[[1]]"}, {"rows", "[[1,2,3]]"},
            {"rows", "[[1,\"a\"]]"}, {"rows", "[[1,1e400]]"}, {"rows", "[null]"}, {"steps", "0"}, {"steps", "2.5"},
            {"estimator", "\"nope\""}, {"probes", "2"}, {"seed", "\"x\""}, {"nope", "1"}};
        for (String[] f : fields) {
            all.add(json("POST likelihood " + f[0] + "=" + f[1], "POST", LIKELIHOOD, withField(ok, f[0], f[1]), 400));
        }
        all.add(json("POST likelihood steps over the limit", "POST", LIKELIHOOD, withField(ok, "steps", "1001"), 413));
        all.add(json("POST likelihood probes over the limit", "POST", LIKELIHOOD,
                "{\"rows\":[[0.1,0.2]],\"steps\":5,\"estimator\":\"hutchinson\",\"probes\":65}", 413));
        all.add(json("POST likelihood too many rows", "POST", LIKELIHOOD,
                "{\"rows\":[" + String.join(",", java.util.Collections.nCopies(1001, "[0,0]")) + "]}", 413));
        all.add(json("POST likelihood empty body", "POST", LIKELIHOOD, "", 400));
        all.add(json("POST likelihood malformed", "POST", LIKELIHOOD, "{\"rows\":", 400));
        all.add(raw("POST likelihood text/plain", "POST", LIKELIHOOD, ok, Set.of(415), "Content-Type", "text/plain"));
        all.add(raw("POST likelihood Accept text/csv", "POST", LIKELIHOOD, ok, Set.of(406),
                "Content-Type", "application/json", "Accept", "text/csv"));
        all.add(json("POST likelihood of an unknown model", "POST", "/api/v1/models/no-such/versions/latest/likelihood",
                ok, 404));
        all.add(raw("GET likelihood", "GET", LIKELIHOOD, null, Set.of(405)));
    }

    private void paths(List<Case> all) {
        String[] nul = {"/api/v1/%00", "/api/v1/datasets/%00", "/api/v1/models/%00/versions", "/api/v1/jobs/%00",
            "/api/v1/datasets/a%00b/rows"};
        for (String p : nul) {
            all.add(raw("GET " + p, "GET", p, null, Set.of(400)));
        }
        String longSegment = "a".repeat(10_000);
        for (String p : new String[] {"/api/v1/models/" + longSegment, "/api/v1/datasets/" + longSegment,
            "/api/v1/jobs/" + longSegment, "/api/v1/" + longSegment, "/api/v1/models/" + longSegment + "/versions/latest"}) {
            all.add(raw("GET 10k segment " + p.substring(0, 20), "GET", p, null, Set.of(400, 404)));
        }
        all.add(raw("POST samples of a 10k model name", "POST", "/api/v1/models/" + longSegment + "/versions/latest/samples",
                "{\"n\":1}", Set.of(400, 404), "Content-Type", "application/json"));
        all.add(raw("GET 40k path", "GET", "/api/v1/models/" + "b".repeat(40_000), null, Set.of(400, 414)));
        all.add(raw("GET with a 40k header", "GET", "/api/v1", null, Set.of(400, 431), "X-Big", "h".repeat(40_000)));
        for (String p : new String[] {"/api/v1/datasets/%zz", "/api/v1/datasets/%", "/api/v1/datasets/%e0%80",
            "/api/v1/%2e%2e/models", "/api/v1/..;/models", "//api/v1/models", "/api/v1/datasets%2Fx",
            "/api/v1/a%5cb", "/api/v1/%252e", "/api/v1/models/%2e%2e%2f"}) {
            all.add(raw("GET odd path " + p, "GET", p, null, Set.of(400, 404)));
        }
        for (String p : new String[] {"/api/v2", "/api/v1/nope", "/nope", "/api/v1/models/" + MODEL + "/nope"}) {
            all.add(raw("GET unknown " + p, "GET", p, null, Set.of(404)));
        }
        all.add(raw("TRACE /api/v1", "TRACE", "/api/v1", null, Set.of(400, 405)));
        all.add(raw("PROPFIND /api/v1", "PROPFIND", "/api/v1", null, Set.of(400, 405)));
        all.add(raw("DELETE /api/v1", "DELETE", "/api/v1", null, Set.of(405)));
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static Case json(String name, String method, String path, String body, int status) {
        return raw(name, method, path, body, Set.of(status), "Content-Type", "application/json");
    }

    private static Case raw(String name, String method, String path, String body, Set<Integer> expected, String... headers) {
        return new Case(name, method, path, List.of(headers), body == null ? null : body.getBytes(StandardCharsets.UTF_8), expected);
    }

    private record Part(String name, String fileName, String content) {}

    private static Part field(String name, String value) {
        return new Part(name, null, value);
    }

    private static Part file(String name, String fileName, String content) {
        return new Part(name, fileName, content);
    }

    private static Case multipart(String name, List<Part> parts, int status) {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            b.append("--CORPUS\r\nContent-Disposition: form-data; name=\"").append(p.name()).append('"');
            if (p.fileName() != null) {
                b.append("; filename=\"").append(p.fileName()).append("\"\r\nContent-Type: application/octet-stream");
            }
            b.append("\r\n\r\n").append(p.content()).append("\r\n");
        }
        b.append("--CORPUS--\r\n");
        return raw(name, "POST", "/api/v1/datasets", b.toString(), Set.of(status), "Content-Type", "multipart/form-data; boundary=CORPUS");
    }

    /** The JSON object {@code base} with field {@code field} set to the raw JSON {@code value}. */
    private static String withField(String base, String field, String value) {
        String body = base.substring(1, base.length() - 1);
        StringBuilder out = new StringBuilder("{");
        boolean replaced = false;
        for (String member : topLevelMembers(body)) {
            String key = member.substring(member.indexOf('"') + 1, member.indexOf('"', member.indexOf('"') + 1));
            if (out.length() > 1) {
                out.append(',');
            }
            if (key.equals(field)) {
                out.append('"').append(field).append("\":").append(value);
                replaced = true;
            } else {
                out.append(member);
            }
        }
        if (!replaced) {
            out.append(out.length() > 1 ? "," : "").append('"').append(field).append("\":").append(value);
        }
        return out.append('}').toString();
    }

    private static String without(String base, String field) {
        StringBuilder out = new StringBuilder("{");
        for (String member : topLevelMembers(base.substring(1, base.length() - 1))) {
            if (!member.trim().startsWith("\"" + field + "\"")) {
                out.append(out.length() > 1 ? "," : "").append(member);
            }
        }
        return out.append('}').toString();
    }

    private static List<String> topLevelMembers(String body) {
        List<String> members = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' && (i == 0 || body.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && (c == '{' || c == '[')) {
                depth++;
            } else if (!inString && (c == '}' || c == ']')) {
                depth--;
            } else if (!inString && c == ',' && depth == 0) {
                members.add(body.substring(start, i));
                start = i + 1;
            }
        }
        if (start < body.length()) {
            members.add(body.substring(start));
        }
        return members;
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\u0000]", " ");
        return oneLine.length() > 40 ? oneLine.substring(0, 37) + "..." : oneLine;
    }
}
