package dev.genserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Concurrent submissions (issue 14): 20 at once for one new model name all succeed (one connection per request, so
 * the pool of 10 suffices), make one model row, and every job reaches JobRunr (the outbox), none stays QUEUED
 * undispatched. An {@code Idempotency-Key} makes retries, concurrent ones included, return the one job they created.
 */
@IntegrationTest
class ConcurrentSubmitTest {

    private static final String CONFIG = "{\"steps\":3,\"hidden\":8,\"depth\":1,\"batchSize\":16,\"sampleSteps\":2}";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final List<String> created = new ArrayList<>();

    private String body(String model) {
        return "{\"model\":\"" + model + "\",\"family\":\"diffusion\",\"dataset\":\"builtin:moons?n=300&seed=31\",\"config\":" + CONFIG + "}";
    }

    @AfterEach
    void cancelWhatIsLeft() {
        Http http = new Http(port);
        for (String id : created) {
            http.send("POST", "/api/v1/jobs/" + id + "/cancel", (String) null);
        }
    }

    @Test
    void twentyConcurrentSubmitsForANewModelAllSucceedAndAllReachJobRunr() throws Exception {
        String model = "concurrent-" + UUID.randomUUID().toString().substring(0, 8);
        Http http = new Http(port);
        Set<String> ids = acceptedIds(20, () -> http.send("POST", "/api/v1/jobs", body(model), "Content-Type", "application/json"));
        assertThat(ids).hasSize(20);
        assertThat(jdbc.queryForObject("select count(*) from model where name = ?", Integer.class, model)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from dataset where name = 'moons-n300-s31'", Integer.class)).isEqualTo(1);
        Instant until = Instant.now().plusSeconds(30);
        int undispatched;
        do {
            Thread.sleep(200);
            undispatched = jdbc.queryForObject("select count(*) from training_job where model_name = ? and dispatched_at is null",
                    Integer.class, model);
        } while (undispatched > 0 && Instant.now().isBefore(until));
        assertThat(undispatched).as("jobs never handed to JobRunr").isZero();
        for (String id : ids) {
            assertThat(jdbc.queryForObject("select count(*) from jobrunr_jobs where id = ?", Integer.class, id))
                    .as("JobRunr job of " + id).isEqualTo(1);
        }
    }

    @Test
    void anIdempotencyKeyMakesRetriesReturnTheFirstJob() throws Exception {
        String model = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "key-" + UUID.randomUUID();
        Http http = new Http(port);
        Http.Response first = http.send("POST", "/api/v1/jobs", body(model), "Content-Type", "application/json",
                "Idempotency-Key", key);
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        String id = first.json().path("id").asString();
        created.add(id);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        Http.Response retry = http.send("POST", "/api/v1/jobs", body(model), "Content-Type", "application/json",
                "Idempotency-Key", key);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().path("id").asString()).isEqualTo(id);
        assertThat(retry.header("Location")).isEqualTo("/api/v1/jobs/" + id);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        Http.Response other = http.send("POST", "/api/v1/jobs", body(model + "-other"), "Content-Type", "application/json",
                "Idempotency-Key", key);
        assertThat(other.status()).as(other.toString()).isEqualTo(422);
        assertThat(other.json().path("reason").asString()).isEqualTo("idempotency-key-reused");
        assertThat(jdbc.queryForObject("select count(*) from training_job where idempotency_key = ?", Integer.class, key)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from model where name = ?", Integer.class, model + "-other")).isZero();
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneJob() throws Exception {
        String model = "idem-race-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "race-" + UUID.randomUUID();
        Http http = new Http(port);
        Set<String> ids = acceptedIds(8, () -> http.send("POST", "/api/v1/jobs", body(model), "Content-Type",
                "application/json", "Idempotency-Key", key));
        assertThat(ids).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from training_job where model_name = ?", Integer.class, model)).isEqualTo(1);
    }

    /** Sends {@code count} requests at the same moment; all must be accepted; returns the job ids. */
    private Set<String> acceptedIds(int count, java.util.function.Supplier<Http.Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Http.Response>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return request.get();
            }, pool));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<Http.Response> f : responses) {
            Http.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            ids.add(r.json().path("id").asString());
        }
        pool.shutdown();
        created.addAll(ids);
        return ids;
    }

    @Test
    void aSubmitThatCannotBeAnsweredInTheAcceptedFormatQueuesNothing() {
        String model = "png-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Response r = new Http(port).send("POST", "/api/v1/jobs", body(model), "Content-Type", "application/json",
                "Accept", "image/png");
        assertThat(r.status()).isEqualTo(406);
        assertThat(jdbc.queryForObject("select count(*) from training_job where model_name = ?", Integer.class, model)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from model where name = ?", Integer.class, model)).isZero();
    }
}
