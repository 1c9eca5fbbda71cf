package dev.genserve.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.genserve.client.ApiClient;
import dev.genserve.client.ApiException;
import dev.genserve.client.ApiResponse;
import dev.genserve.client.api.DatasetsApi;
import dev.genserve.client.api.JobsApi;
import dev.genserve.client.api.ModelsApi;
import dev.genserve.client.api.SamplingApi;
import dev.genserve.client.model.AliasRequest;
import dev.genserve.client.model.BuiltinRequest;
import dev.genserve.client.model.DatasetView;
import dev.genserve.client.model.DiffusionConfig;
import dev.genserve.client.model.FamilyConfig;
import dev.genserve.client.model.JobView;
import dev.genserve.client.model.PagedJobView;
import dev.genserve.client.model.PagedVersionView;
import dev.genserve.client.model.ProblemDetail;
import dev.genserve.client.model.SampleRequest;
import dev.genserve.client.model.SamplesView;
import dev.genserve.client.model.SdeConfig;
import dev.genserve.client.model.SubmitJobRequest;
import dev.genserve.client.model.VersionView;
import dev.genserve.support.IntegrationTest;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole user journey through the Java client that the build generates from docs/openapi.json (openapi-generator,
 * library native), with no hand-written HTTP: create a dataset, submit a job with a typed config, poll it, list
 * versions, set an alias, sample as JSON, CSV, NPY and PNG, export and import the version, and read problem details.
 */
@IntegrationTest
class GeneratedClientFlowTest {

    @LocalServerPort
    int port;

    @Test
    void wholeFlowThroughTheGeneratedClient() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        client.setReadTimeout(Duration.ofSeconds(60));
        DatasetsApi datasets = new DatasetsApi(client);
        JobsApi jobs = new JobsApi(client);
        ModelsApi models = new ModelsApi(client);
        SamplingApi sampling = new SamplingApi(client);

        DatasetView dataset = datasets.createBuiltinDataset(new BuiltinRequest().builtin("moons").n(1500).seed(4L)
                .name("client-moons"));
        assertThat(dataset.getCols()).isEqualTo(2);

        DiffusionConfig config = new DiffusionConfig().family(DiffusionConfig.FamilyEnum.DIFFUSION).steps(120)
                .batchSize(128).hidden(32).depth(2).sampleSteps(40)
                .sde(new SdeConfig().type(SdeConfig.TypeEnum.VP).betaMax(15.0));
        SubmitJobRequest submission = new SubmitJobRequest().model("client-vp").dataset("client-moons")
                .name("Client flow").tags(List.of("client", "flow")).config(new FamilyConfig(config));
        String idempotencyKey = UUID.randomUUID().toString();
        ApiResponse<JobView> submitted = jobs.submitJobWithHttpInfo(submission, idempotencyKey);
        assertThat(submitted.getStatusCode()).isEqualTo(202);
        JobView job = submitted.getData();
        assertThat(submitted.getHeaders().get("location")).containsExactly("/api/v1/jobs/" + job.getId());
        assertThat(job.getStatus()).isIn(JobView.StatusEnum.QUEUED, JobView.StatusEnum.RUNNING);
        // a retry with the same key (say, after a lost answer) gets the same job, not a second one
        ApiResponse<JobView> retried = jobs.submitJobWithHttpInfo(submission, idempotencyKey);
        assertThat(retried.getStatusCode()).isEqualTo(202);
        assertThat(retried.getData().getId()).isEqualTo(job.getId());
        assertThat(retried.getHeaders().get("idempotent-replayed")).containsExactly("true");

        Instant deadline = Instant.now().plusSeconds(180);
        while (!List.of(JobView.StatusEnum.SUCCEEDED, JobView.StatusEnum.FAILED, JobView.StatusEnum.CANCELLED)
                .contains(job.getStatus()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            job = jobs.getJob(job.getId());
        }
        assertThat(job.getStatus()).as(String.valueOf(job.getError())).isEqualTo(JobView.StatusEnum.SUCCEEDED);
        assertThat(job.getReplica()).as("the replica that ran it").isNotBlank();
        assertThat(job.getAttempt()).as("claimed once").isEqualTo(1L);
        assertThat(job.getLossHistory()).isNotEmpty();
        DiffusionConfig resolved = job.getConfig().getDiffusionConfig();
        assertThat(resolved.getSteps()).isEqualTo(120);
        assertThat(resolved.getSde().getBetaMax()).isEqualTo(15.0);
        assertThat(resolved.getSde().getBetaMin()).as("default filled in").isEqualTo(0.1);

        PagedJobView tagged = jobs.listJobs(null, "client-vp", "client", List.of("flow"), 0, 10);
        assertThat(tagged.getTotalItems()).isEqualTo(1);
        assertThat(tagged.getItems().get(0).getTags()).containsExactly("client", "flow");
        assertThat(jobs.listJobs(null, null, null, List.of("flow", "other"), 0, 10).getTotalItems()).isZero();

        PagedVersionView versions = models.listVersions("client-vp", 0, 20);
        assertThat(versions.getTotalItems()).isEqualTo(1);
        VersionView version = versions.getItems().get(0);
        assertThat(version.getVersion()).isEqualTo(1);
        assertThat(version.getConfig().getDiffusionConfig().getSampler())
                .isEqualTo(DiffusionConfig.SamplerEnum.EULER_MARUYAMA);
        assertThat(version.getArtifactSha256()).hasSize(64);
        assertThat(version.getMetrics()).as("held-out quality, free-form").containsKey("heldOutRows");

        assertThat(models.setAlias("client-vp", "production", new AliasRequest().version("1")).getVersion())
                .isEqualTo(1);
        assertThat(models.getAliasHistory("client-vp", "production", null, 0, 20).getItems()).hasSize(1);

        SampleRequest request = new SampleRequest().n(50).seed(3L).steps(20);
        ApiResponse<SamplesView> json = sampling.drawSamplesWithHttpInfo("client-vp", "production", request);
        assertThat(json.getHeaders().get("x-seed")).containsExactly("3");
        assertThat(json.getHeaders().get("x-model-version")).containsExactly("client-vp/1");
        List<List<Float>> samples = json.getData().getSamples();
        assertThat(samples).hasSize(50);

        String csv = Files.readString(sampling.drawSamplesCsv("client-vp", "1", request).toPath());
        String[] lines = csv.split("\n");
        assertThat(lines[0].trim()).isEqualTo("x0,x1");
        assertThat(lines).hasSize(51);
        assertThat(Float.parseFloat(lines[1].split(",")[0])).isEqualTo(samples.get(0).get(0));

        byte[] npy = Files.readAllBytes(sampling.drawSamplesNpy("client-vp", "1", request).toPath());
        String header = new String(npy, 0, 128, StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("\u0093NUMPY").contains("'shape': (50, 2)").contains("'<f4'");
        int headerLength = 10 + (npy[8] & 0xff) + ((npy[9] & 0xff) << 8);
        ByteBuffer payload = ByteBuffer.wrap(npy, headerLength, npy.length - headerLength).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(payload.getFloat()).isEqualTo(samples.get(0).get(0));
        assertThat(payload.getFloat()).isEqualTo(samples.get(0).get(1));

        BufferedImage png = ImageIO.read(sampling.drawSamplesPng("client-vp", "1", request));
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isGreaterThan(100);

        File archive = models.exportVersion("client-vp", "1");
        VersionView imported = models.importVersion("client-vp-copy", archive);
        assertThat(imported.getVersion()).isEqualTo(1);
        assertThat(imported.getArtifactSha256()).isEqualTo(version.getArtifactSha256());
        assertThat(imported.getImportedFrom()).containsEntry("model", "client-vp");
        assertThat(sampling.drawSamples("client-vp-copy", "latest", request).getSamples())
                .as("an imported version samples exactly as the original").isEqualTo(samples);

        ApiException invalid = catchThrowableOfType(ApiException.class, () -> jobs.submitJob(new SubmitJobRequest()
                .model("client-vp").dataset("client-moons")
                .config(new FamilyConfig(new DiffusionConfig().family(DiffusionConfig.FamilyEnum.DIFFUSION).steps(0))),
                null));
        ProblemDetail problem = client.getObjectMapper().readValue(invalid.getResponseBody(), ProblemDetail.class);
        assertThat(invalid.getCode()).isEqualTo(400);
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getDetail()).contains("steps");

        ApiException missing = catchThrowableOfType(ApiException.class, () -> models.getVersion("client-vp", "99"));
        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(client.getObjectMapper().readValue(missing.getResponseBody(), ProblemDetail.class).getDetail())
                .contains("99");
    }
}
