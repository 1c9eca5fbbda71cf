package dev.genserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import dev.genserve.support.RawHttp;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The work one sample request can cause is bounded (issue 14), with the default work budget and sample limit and a
 * shortened deadline of 5 s: the largest request the limits allow finishes or is refused within its deadline (and
 * its computation stops), a costlier one is refused before any work with 422 and its cost, the bulkhead refuses what
 * it cannot queue, and a client that goes away cancels its computation. The model has the default network size
 * (MLP 3×256), briefly trained. A computation stops at its next step, so the tests that wait for it to stop use
 * requests of 10,000 samples, whose steps are short; the largest request (100,000 samples) may need a few seconds
 * per step on a busy machine.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = {"genserve.sampling.deadline=5s", "genserve.sampling.max-concurrent=1",
        "genserve.sampling.max-queued=1"})
class SamplingLimitsTest {

    private static final long DEADLINE_MILLIS = 5000;
    private static final String SAMPLES = "/api/v1/models/limits-default-size/versions/latest/samples";

    @LocalServerPort
    int port;

    @Autowired
    SampleWorkers workers;

    @Autowired
    SamplingProperties limits;

    Http http;
    long parameters;

    @BeforeAll
    void defaultSizeModel() throws Exception {
        http = new Http(port);
        if (http.get("/api/v1/datasets/limits-moons").status() == 404) {
            assertThat(http.send("POST", "/api/v1/datasets", "{\"builtin\":\"moons\",\"n\":500,\"seed\":4,\"name\":\"limits-moons\"}",
                    "Content-Type", "application/json").status()).isEqualTo(201);
        }
        if (http.get("/api/v1/models/limits-default-size/versions/latest").status() != 200) {
            Http.Response r = http.send("POST", "/api/v1/jobs", "{\"model\":\"limits-default-size\",\"family\":\"diffusion\","
                    + "\"dataset\":\"limits-moons\",\"config\":{\"steps\":5,\"batchSize\":32,\"sampleSteps\":2}}",
                    "Content-Type", "application/json");
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            Instant until = Instant.now().plusSeconds(180);
            String status;
            do {
                Thread.sleep(250);
                status = http.get(r.header("Location")).json().path("status").asString();
            } while (!status.matches("SUCCEEDED|FAILED|CANCELLED") && Instant.now().isBefore(until));
            assertThat(status).isEqualTo("SUCCEEDED");
        }
        JsonNode refused = http.send("POST", SAMPLES, "{\"n\":100000,\"steps\":100000}", "Content-Type", "application/json").json();
        parameters = Math.round(refused.path("cost").asDouble() / (100000.0 * 100000.0));
        assertThat(parameters).as("an MLP 3×256 with time features").isBetween(100_000L, 300_000L);
    }

    @Test
    void aRequestOverTheBudgetIsRefusedBeforeAnyWorkWith422AndItsCost() {
        long t0 = System.nanoTime();
        Http.Response r = http.send("POST", SAMPLES, "{\"n\":100000,\"steps\":1000}", "Content-Type", "application/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.path("reason").asString()).isEqualTo("work-budget-exceeded");
        assertThat(p.path("cost").asDouble()).isGreaterThan(p.path("budget").asDouble());
        assertThat(p.path("budget").asDouble()).isEqualTo(limits.maxCost());
        assertThat(p.path("setting").asString()).isEqualTo("genserve.sampling.max-cost");
        assertThat((System.nanoTime() - t0) / 1e9).as("refused without computing").isLessThan(2);
        assertThat(workers.inFlight()).isZero();
    }

    @Test
    void theLargestRequestTheLimitsAllowFinishesOrIsRefusedWithinItsDeadline() throws Exception {
        int n = limits.maxN();
        long steps = (long) Math.floor(limits.maxCost() / ((double) n * parameters));
        assertThat(steps).isPositive();
        long t0 = System.nanoTime();
        Http.Response r = http.send("POST", SAMPLES, "{\"n\":" + n + ",\"steps\":" + steps + ",\"seed\":1}",
                "Content-Type", "application/json");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("largest allowed request: n=%d steps=%d (%.3g multiply-adds): %d after %.2f s%n", n, steps,
                (double) n * steps * parameters, r.status(), seconds);
        assertThat(r.status()).as(r.toString()).isIn(200, 503);
        if (r.status() == 503) {
            assertThat(r.json().path("reason").asString()).isEqualTo("deadline-exceeded");
            assertThat(r.header("Retry-After")).isNotBlank();
        } else {
            assertThat(r.json().path("samples").size()).isEqualTo(n);
        }
        assertThat(seconds).as("answered within the deadline (plus 3 s slack)").isLessThan(DEADLINE_MILLIS / 1000.0 + 3);
        assertThat(awaitIdle(Duration.ofSeconds(20))).as("its computation stopped (at its next step)").isTrue();
    }

    /** A request within the budget that computes for far longer than the deadline, in short steps. */
    private String longRequest() {
        // 90 % of the budget: parameters is rounded from a refused request's cost, so the last step may not fit
        return "{\"n\":10000,\"steps\":" + (long) (0.9 * limits.maxCost() / (10000.0 * parameters)) + "}";
    }

    @org.junit.jupiter.api.BeforeEach
    void idle() throws InterruptedException {
        assertThat(awaitIdle(Duration.ofSeconds(30))).as("nothing left computing from an earlier test").isTrue();
    }

    @Test
    void theBulkheadRefusesWhatItCannotQueue() throws Exception {
        String body = longRequest();
        String head = "POST " + SAMPLES + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length();
        try (Socket running = RawHttp.start(port, head, body.getBytes());
                Socket queued = startOnceComputing(running, head, body)) {
            Instant until = Instant.now().plusSeconds(10);
            while (workers.inFlight() < 2 && Instant.now().isBefore(until)) {
                Thread.sleep(20);
            }
            if (workers.inFlight() < 2) { // say what the two requests were answered, not only that they are not running
                StringBuilder answers = new StringBuilder();
                for (Socket socket : new Socket[] {running, queued}) {
                    socket.setSoTimeout(1000);
                    try {
                        answers.append(new String(socket.getInputStream().readNBytes(400),
                                java.nio.charset.StandardCharsets.UTF_8)).append("\n---\n");
                    } catch (java.io.IOException e) {
                        answers.append("(no answer: ").append(e.getMessage()).append(")\n---\n");
                    }
                }
                throw new AssertionError("one computing, one waiting expected; in flight " + workers.inFlight()
                        + "; answers:\n" + answers);
            }
            long t0 = System.nanoTime();
            Http.Response third = http.send("POST", SAMPLES, "{\"n\":2,\"steps\":2}", "Content-Type", "application/json");
            assertThat(third.status()).as(third.toString()).isEqualTo(503);
            assertThat(third.json().path("reason").asString()).isEqualTo("bulkhead-full");
            assertThat(third.header("Retry-After")).isNotBlank();
            assertThat((System.nanoTime() - t0) / 1e9).as("refused at once").isLessThan(1.5);
        }
        assertThat(awaitIdle(Duration.ofSeconds(4))).as("both went away and were cancelled").isTrue();
        assertThat(http.send("POST", SAMPLES, "{\"n\":2,\"steps\":2}", "Content-Type", "application/json").status()).isEqualTo(200);
    }

    @Test
    void aClientThatGoesAwayCancelsItsComputation() throws Exception {
        String body = longRequest();
        Socket client = RawHttp.start(port, "POST " + SAMPLES + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + body.length(), body.getBytes());
        Instant until = Instant.now().plusSeconds(3);
        while (workers.inFlight() == 0 && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
        assertThat(workers.inFlight()).isEqualTo(1);
        long t0 = System.nanoTime();
        client.close();
        assertThat(awaitIdle(Duration.ofMillis(DEADLINE_MILLIS - 1500))).as("cancelled well before its deadline").isTrue();
        System.out.printf("computation stopped %.2f s after the client closed its connection%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void aLiveClientThatWaitsIsNotTakenForGone() {
        long t0 = System.nanoTime();
        Http.Response done = http.send("POST", SAMPLES, "{\"n\":10000,\"steps\":30,\"seed\":3}", "Content-Type", "application/json");
        System.out.printf("a %.1f s request with a waiting client: %d%n", (System.nanoTime() - t0) / 1e9, done.status());
        if (done.status() == 503) {
            assertThat(done.json().path("reason").asString()).as("only the deadline may stop it").isEqualTo("deadline-exceeded");
        } else {
            assertThat(done.status()).as(done.toString()).isEqualTo(200);
        }
    }

    /** Sends the second request only once the first one computes, so that the two never race for the one thread. */
    private Socket startOnceComputing(Socket first, String head, String body) throws Exception {
        Instant until = Instant.now().plusSeconds(10);
        while (workers.inFlight() < 1 && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
        return RawHttp.start(port, head, body.getBytes());
    }

    private boolean awaitIdle(Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (workers.inFlight() > 0 && Instant.now().isBefore(until)) {
            Thread.sleep(20);
        }
        return workers.inFlight() == 0;
    }
}
