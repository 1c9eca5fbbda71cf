package dev.genserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import dev.genserve.support.IntegrationTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * JobRunr ends a job in the state genserve ends it in (issue 14): a failed job is FAILED in JobRunr (not SUCCEEDED,
 * and not retried), a cancelled one is DELETED (not SUCCEEDED), a succeeded one SUCCEEDED.
 */
@IntegrationTest
class JobRunrStateTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobDispatcher dispatcher;

    @Test
    void aFailedJobIsFailedInJobRunrWithoutRetries() throws Exception {
        Http http = new Http(port);
        Http.Response d = http.send("POST", "/api/v1/datasets", "{\"builtin\":\"moons\",\"n\":200,\"seed\":77,\"name\":\"state-"
                + UUID.randomUUID().toString().substring(0, 8) + "\"}", "Content-Type", "application/json");
        UUID dataset = UUID.fromString(d.json().path("id").asString());
        UUID job = UUID.randomUUID();
        // a job whose stored config cannot be read back: it fails at its start
        jdbc.update("insert into model (id, name, family) values (?, ?, 'diffusion') on conflict (name) do nothing",
                UUID.randomUUID(), "state-failing");
        jdbc.update("insert into training_job (id, model_name, family, dataset_id, spec, total_steps, jobrunr_job_id)"
                + " values (?, 'state-failing', 'diffusion', ?, cast(? as jsonb), 10, ?)", job, dataset,
                "{\"model\":\"state-failing\",\"family\":\"diffusion\",\"datasetId\":\"" + dataset + "\",\"datasetName\":\"x\","
                        + "\"config\":{\"steps\":\"not a number\"},\"heldOutFraction\":0.1,\"splitSeed\":0,\"checkpointEvery\":5}", job);
        dispatcher.kick();
        assertThat(awaitJobRunr(job, "FAILED")).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("select status from training_job where id = ?", String.class, job)).isEqualTo("FAILED");
        Thread.sleep(1500);
        assertThat(jdbc.queryForObject("select state from jobrunr_jobs where id = ?", String.class, job.toString()))
                .as("no retry was scheduled").isEqualTo("FAILED");
    }

    @Test
    void cancelledJobsAreDeletedInJobRunrAndSucceededOnesSucceeded() throws Exception {
        Http http = new Http(port);
        String body = "{\"model\":\"state-ok\",\"family\":\"diffusion\",\"dataset\":\"builtin:moons?n=300&seed=78\","
                + "\"config\":{\"steps\":3,\"hidden\":8,\"depth\":1,\"batchSize\":16,\"sampleSteps\":2}}";
        UUID ok = UUID.fromString(http.send("POST", "/api/v1/jobs", body, "Content-Type", "application/json").json().path("id").asString());
        String running = "{\"model\":\"state-cancel\",\"family\":\"diffusion\",\"dataset\":\"builtin:moons?n=300&seed=78\","
                + "\"config\":{\"steps\":200000,\"hidden\":8,\"depth\":1,\"batchSize\":16}}";
        UUID cancel = UUID.fromString(http.send("POST", "/api/v1/jobs", running, "Content-Type", "application/json").json().path("id").asString());
        assertThat(awaitJobRunr(ok, "SUCCEEDED")).isEqualTo("SUCCEEDED");
        Instant until = Instant.now().plusSeconds(60);
        while (!"RUNNING".equals(jdbc.queryForObject("select status from training_job where id = ?", String.class, cancel))
                && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(http.send("POST", "/api/v1/jobs/" + cancel + "/cancel", (String) null).status()).isEqualTo(202);
        assertThat(awaitJobRunr(cancel, "DELETED")).isEqualTo("DELETED");
        assertThat(jdbc.queryForObject("select status from training_job where id = ?", String.class, cancel)).isEqualTo("CANCELLED");
    }

    private String awaitJobRunr(UUID id, String expected) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(120);
        String state = null;
        while (Instant.now().isBefore(until)) {
            var states = jdbc.queryForList("select state from jobrunr_jobs where id = ?", String.class, id.toString());
            state = states.isEmpty() ? null : states.get(0);
            if (expected.equals(state)) {
                return state;
            }
            Thread.sleep(200);
        }
        return state;
    }
}
