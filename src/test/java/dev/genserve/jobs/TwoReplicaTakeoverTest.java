package dev.genserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.registry.ArtifactStore;
import dev.genserve.sampling.SampleWorkers;
import dev.genserve.support.Http;
import dev.genserve.support.RawHttp;
import dev.genserve.support.ReplicaContexts;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas, two whole application contexts on one PostgreSQL database and one artifact directory (issue 14).
 * Replica A runs jobs through JobRunr; it is then paused (its worker blocked at a chosen point, its lease renewals too,
 * as under SIGSTOP) until its lease lapses, and replica B takes the job over, as JobRunr's orphan handling would (the
 * test calls B's runner directly, for a deterministic schedule). When A wakes it must neither fail the job, nor
 * publish a second version, nor corrupt B's progress or checkpoints. Leases last 3 s here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicaTakeoverTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String TINY = "\"hidden\":16,\"depth\":1,\"batchSize\":32,\"sampleSteps\":5";

    @TempDir
    static Path artifacts;

    ReplicaContexts replicas;
    ConfigurableApplicationContext a;
    ConfigurableApplicationContext b;
    PausableLeases leasesA;
    PausableLeases leasesB;
    JdbcTemplate jdbc;
    Http httpA;

    @BeforeAll
    void startTwoReplicas() throws Exception {
        replicas = new ReplicaContexts();
        Map<String, Object> common = Map.of("genserve.artifacts.root", artifacts.toString(),
                "genserve.jobs.lease-duration", LEASE.toSeconds() + "s", "genserve.jobs.progress-interval-ms", "50",
                "genserve.jobs.orphan-after", "10m", "genserve.sampling.shutdown-grace", "1s",
                "jobrunr.background-job-server.poll-interval-in-seconds", "5");
        a = replicas.start(with(common, "genserve.replica.id", "replica-A", "jobrunr.background-job-server.enabled", "true"),
                PausableLeases.Config.class);
        b = replicas.start(with(common, "genserve.replica.id", "replica-B", "jobrunr.background-job-server.enabled", "false"),
                PausableLeases.Config.class);
        leasesA = a.getBean(PausableLeases.class);
        leasesB = b.getBean(PausableLeases.class);
        jdbc = a.getBean(JdbcTemplate.class);
        httpA = new Http(((WebServerApplicationContext) a).getWebServer().getPort());
        Http.Response d = httpA.send("POST", "/api/v1/datasets", "{\"builtin\":\"moons\",\"n\":400,\"seed\":2,\"name\":\"replica-moons\"}",
                "Content-Type", "application/json");
        assertThat(d.status()).as(d.toString()).isEqualTo(201);
    }

    /** A failed test must not leave a replica paused for the next one. */
    @org.junit.jupiter.api.AfterEach
    void resumeBoth() {
        leasesA.resume();
        leasesB.resume();
    }

    @AfterAll
    void stop() {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {a, b}) {
            if (c != null && c.isActive()) {
                c.close();
            }
        }
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    @Order(1)
    void aReplicaPausedMidTrainingLosesTheJobAndCannotFailOrCorruptIt() throws Exception {
        leasesA.pauseAt(PausableLeases.At.PROGRESS, step -> step >= 25, true);
        UUID job = submit("replica-m1", 150, 10);
        assertThat(leasesA.awaitPaused(Duration.ofMinutes(2))).as("A reached step 25").isTrue();
        Path attemptA = artifacts.resolve("_jobs").resolve(job.toString()).resolve("attempt-1");
        assertThat(checkpoints(attemptA)).as("A wrote checkpoints before the pause").isNotEmpty();
        awaitLeaseLapsed(job);

        leasesB.pauseAt(PausableLeases.At.PROGRESS, step -> step >= 100, false);
        CompletableFuture<Void> runB = CompletableFuture.runAsync(() -> b.getBean(TrainingJobRunner.class).run(job));
        assertThat(leasesB.awaitPaused(Duration.ofMinutes(2))).as("B took over and trained to step 100").isTrue();
        Map<String, Object> takenOver = row(job);
        assertThat(takenOver.get("lease_owner")).isEqualTo("replica-B");
        assertThat(((Number) takenOver.get("lease_token")).longValue()).isEqualTo(2);
        // B resumes from A's last checkpoint (every 10 steps): 20, or later when A ran on past step 25 before its
        // progress write (at most every 50 ms) froze it
        int lastCheckpointOfA = checkpoints(attemptA).stream()
                .map(p -> p.getFileName().toString().replaceAll("\\D+", ""))
                .filter(digits -> !digits.isEmpty()).mapToInt(Integer::parseInt).max().orElseThrow();
        assertThat(lastCheckpointOfA).isBetween(20, 90);
        assertThat(lastCheckpointOfA % 10).isZero();
        assertThat(((Number) takenOver.get("resumed_from_step")).intValue()).isEqualTo(lastCheckpointOfA);

        StepRecorder steps = new StepRecorder(job);
        leasesA.resume(); // A wakes up in the middle of B's run
        awaitJobRunrNotProcessing(job);
        Map<String, Object> afterA = row(job);
        assertThat(afterA.get("status")).as("A did not fail the job").isEqualTo("RUNNING");
        assertThat(afterA.get("error")).isNull();
        assertThat(afterA.get("lease_owner")).isEqualTo("replica-B");
        assertThat(((Number) afterA.get("step")).intValue()).as("A's stale step 25 was not written").isGreaterThan(25);
        assertThat(checkpoints(artifacts.resolve("_jobs").resolve(job.toString()).resolve("attempt-2")))
                .as("A did not delete B's checkpoints").isNotEmpty();
        assertThat(checkpoints(attemptA)).as("nor its own, which B resumed from").isNotEmpty();

        leasesB.resume();
        runB.get(2, TimeUnit.MINUTES);
        steps.close();
        Map<String, Object> done = row(job);
        assertThat(done.get("status")).isEqualTo("SUCCEEDED");
        assertThat(done.get("lease_owner")).isEqualTo("replica-B");
        assertThat(((Number) done.get("step")).intValue()).isEqualTo(150);
        assertThat(((Number) done.get("resume_count")).intValue()).isEqualTo(1);
        assertThat(steps.nonDecreasingAfterTakeOver()).as("(token, step) seen: " + steps.describe()).isTrue();
        assertOneVersionWithItsFiles(job, "replica-m1");
        assertThat(jobRunrState(job)).as("A's JobRunr job did not end FAILED").isEqualTo("SUCCEEDED");
        JsonNode view = httpA.get("/api/v1/jobs/" + job).json();
        assertThat(view.path("replica").asString()).isEqualTo("replica-B");
        assertThat(view.path("attempt").asLong()).isEqualTo(2);
        assertThat(view.path("resumedFromStep").asInt()).isEqualTo(lastCheckpointOfA);
    }

    @Test
    @Order(2)
    void aReplicaPausedBeforePublishingCannotPublishASecondVersion() throws Exception {
        leasesA.pauseAt(PausableLeases.At.BEFORE_PUBLISH_LOCK, s -> true, true);
        UUID job = submit("replica-m2", 60, 10);
        assertThat(leasesA.awaitPaused(Duration.ofMinutes(2))).as("A trained and is about to publish").isTrue();
        awaitLeaseLapsed(job);
        b.getBean(TrainingJobRunner.class).run(job); // B takes over, resumes from step 50 and publishes
        assertThat(row(job).get("status")).isEqualTo("SUCCEEDED");
        leasesA.resume();
        awaitJobRunrNotProcessing(job);
        Map<String, Object> done = row(job);
        assertThat(done.get("status")).isEqualTo("SUCCEEDED");
        assertThat(done.get("lease_owner")).isEqualTo("replica-B");
        assertThat(done.get("error")).isNull();
        assertOneVersionWithItsFiles(job, "replica-m2");
        try (Stream<Path> left = Files.list(artifacts.resolve("replica-m2"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("A's unpublished artifact is gone").containsExactly("1");
        }
    }

    @Test
    @Order(3)
    void aReplicaPausedWhileHoldingThePublishLockFinishesAndTheOtherDoesNotDuplicate() throws Exception {
        leasesA.pauseAt(PausableLeases.At.AFTER_PUBLISH_LOCK, s -> true, true);
        UUID job = submit("replica-m3", 40, 10);
        assertThat(leasesA.awaitPaused(Duration.ofMinutes(2))).isTrue();
        Thread.sleep(LEASE.toMillis() + 500); // A's lease has lapsed, but A holds the job's row lock
        CompletableFuture<Void> runB = CompletableFuture.runAsync(() -> b.getBean(TrainingJobRunner.class).run(job));
        Thread.sleep(2000);
        assertThat(runB).as("B waits for the row lock").isNotDone();
        leasesA.resume();
        runB.get(1, TimeUnit.MINUTES);
        awaitJobRunrNotProcessing(job);
        Map<String, Object> done = row(job);
        assertThat(done.get("status")).isEqualTo("SUCCEEDED");
        assertThat(done.get("lease_owner")).isEqualTo("replica-A");
        assertThat(((Number) done.get("lease_token")).longValue()).as("B never claimed it").isEqualTo(1);
        assertOneVersionWithItsFiles(job, "replica-m3");
    }

    @Test
    @Order(4)
    void aStoppedJobServerFailsLivenessAndReadiness() {
        Http.Response live = httpA.get("/actuator/health/liveness");
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        a.getBean(BackgroundJobServer.class).stop();
        Http.Response down = httpA.get("/actuator/health/liveness");
        assertThat(down.status()).as(down.toString()).isEqualTo(503);
        assertThat(down.json().path("components").path("jobWorker").path("status").asString()).isEqualTo("DOWN");
        assertThat(httpA.get("/actuator/health/readiness").status()).isEqualTo(503);
    }

    @Test
    @Order(5)
    void shutdownCompletesWhileASampleRequestIsRunning() throws Exception {
        int portB = ((WebServerApplicationContext) b).getWebServer().getPort();
        String body = "{\"n\":10000,\"steps\":15000}"; // under the default work budget (1e12) with the resmlp net
        try (Socket client = RawHttp.start(portB, "POST /api/v1/models/replica-m1/versions/latest/samples HTTP/1.1\r\n"
                + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: " + body.length(), body.getBytes())) {
            SampleWorkers workers = b.getBean(SampleWorkers.class);
            Instant until = Instant.now().plusSeconds(30);
            while (workers.inFlight() == 0 && Instant.now().isBefore(until)) {
                Thread.sleep(50);
            }
            if (workers.inFlight() == 0) {
                client.setSoTimeout(2000);
                byte[] answer = client.getInputStream().readNBytes(600);
                throw new AssertionError("the request is not computing; it was answered: "
                        + new String(answer, java.nio.charset.StandardCharsets.UTF_8));
            }
            long t0 = System.nanoTime();
            CompletableFuture.runAsync(b::close).get(60, TimeUnit.SECONDS);
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds to shut down").isLessThan(40);
            assertThat(b.isActive()).isFalse();
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private UUID submit(String model, int steps, int checkpointEvery) {
        Http.Response r = httpA.send("POST", "/api/v1/jobs", "{\"model\":\"" + model + "\",\"family\":\"diffusion\","
                + "\"dataset\":\"replica-moons\",\"checkpointEvery\":" + checkpointEvery + ",\"config\":{\"steps\":" + steps
                + "," + TINY + "}}", "Content-Type", "application/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return UUID.fromString(r.json().path("id").asString());
    }

    private Map<String, Object> row(UUID job) {
        return jdbc.queryForMap("select * from training_job where id = ?", job);
    }

    private void awaitLeaseLapsed(UUID job) throws InterruptedException {
        Instant until = Instant.now().plus(LEASE.multipliedBy(5));
        while (Boolean.FALSE.equals(jdbc.queryForObject("select lease_expires_at < now() from training_job where id = ?",
                Boolean.class, job)) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(jdbc.queryForObject("select lease_expires_at < now() from training_job where id = ?", Boolean.class, job))
                .as("the paused replica's lease lapsed").isTrue();
    }

    private String jobRunrState(UUID job) {
        return jdbc.queryForObject("select state from jobrunr_jobs where id = ?", String.class, job.toString());
    }

    private void awaitJobRunrNotProcessing(UUID job) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(60);
        while ("PROCESSING".equals(jobRunrState(job)) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(jobRunrState(job)).as("A's run came to an end").isNotEqualTo("PROCESSING");
    }

    private void assertOneVersionWithItsFiles(UUID job, String model) throws Exception {
        List<Map<String, Object>> versions = jdbc.queryForList("select artifact_path, artifact_sha256 from model_version"
                + " where job_id = ?", job);
        assertThat(versions).as("versions of job " + job).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from model_version v join model m on m.id = v.model_id where m.name = ?",
                Integer.class, model)).isEqualTo(1);
        a.getBean(ArtifactStore.class).verify((String) versions.get(0).get("artifact_path"),
                (String) versions.get(0).get("artifact_sha256"));
    }

    private static List<Path> checkpoints(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).toList();
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Polls (token, step) of a job's row every 20 ms. */
    private final class StepRecorder implements AutoCloseable {
        final List<long[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<Void> poller;
        private volatile boolean stop;

        StepRecorder(UUID job) {
            poller = CompletableFuture.runAsync(() -> {
                while (!stop) {
                    Map<String, Object> r = jdbc.queryForMap("select lease_token, step from training_job where id = ?", job);
                    seen.add(new long[] {((Number) r.get("lease_token")).longValue(), ((Number) r.get("step")).longValue()});
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        String describe() {
            synchronized (seen) {
                return seen.stream().map(s -> s[0] + ":" + s[1]).distinct().toList().toString();
            }
        }

        /** From B's pause to the end, the token stays B's and the step never decreases: no stale write of A lands. */
        boolean nonDecreasingAfterTakeOver() {
            long last = -1;
            synchronized (seen) {
                for (long[] s : seen) {
                    if (s[0] != 2 || s[1] < last) {
                        return false;
                    }
                    last = s[1];
                }
            }
            return last >= 0;
        }

        @Override
        public void close() throws Exception {
            stop = true;
            poller.get(5, TimeUnit.SECONDS);
        }
    }
}
