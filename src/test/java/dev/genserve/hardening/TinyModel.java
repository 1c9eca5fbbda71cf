package dev.genserve.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.support.Http;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** Trains (once per database) a small model on a small built-in dataset, for tests that need a version to call. */
final class TinyModel {

    private TinyModel() {}

    /** Ensures dataset {@code dataset} (moons, 600 rows) and a trained version of {@code model}; returns nothing. */
    static void ensure(Http http, String dataset, String model, String config, String... headers) throws InterruptedException {
        if (http.get("/api/v1/models/" + model + "/versions/latest").status() == 200) {
            return;
        }
        if (http.get("/api/v1/datasets/" + dataset).status() == 404) {
            Http.Response d = http.send("POST", "/api/v1/datasets", "{\"builtin\":\"moons\",\"n\":600,\"seed\":1,\"name\":\""
                    + dataset + "\"}", concat(headers, "Content-Type", "application/json"));
            assertThat(d.status()).as(d.toString()).isEqualTo(201);
        }
        Http.Response r = http.send("POST", "/api/v1/jobs", "{\"model\":\"" + model + "\",\"family\":\"diffusion\","
                + "\"dataset\":\"" + dataset + "\",\"config\":" + config + "}", concat(headers, "Content-Type", "application/json"));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        String location = r.header("Location");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        JsonNode job;
        do {
            Thread.sleep(250);
            job = http.get(location).json();
        } while (!job.path("status").asString().matches("SUCCEEDED|FAILED|CANCELLED") && Instant.now().isBefore(deadline));
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
