package dev.genserve.sampling;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A sample request: how many, the seed (random if absent; echoed back so the result can be reproduced), and the
 * family options: sampler and steps (diffusion, attractor), guidance and class (conditional drifting), and the
 * number of trajectory snapshots (JSON output only).
 */
@Schema(description = "What to sample. Options that do not fit the model's family are a 400 that names the "
        + "accepted ones.")
public record SampleRequest(
        @Schema(description = "Number of samples (genserve.sampling.max-n caps it: 413 above)", minimum = "1",
                defaultValue = "1", example = "1000") Integer n,
        @Schema(description = "Seed; random when absent. The seed used is in the body and the X-Seed header, and "
                + "the same request with the same seed gives the same bytes", example = "7") Long seed,
        @Schema(description = "Sampler (diffusion: euler-maruyama, pf-ode-heun, predictor-corrector; attractor: "
                + "reverse-sde, probability-flow); default: the version's", example = "euler-maruyama")
        String sampler,
        @Schema(description = "Sampler steps (diffusion, attractor); default: the version's", minimum = "1",
                example = "100") Integer steps,
        @Schema(description = "Classifier-free guidance scale (conditional drifting models)", minimum = "1")
        Double guidance,
        @Schema(description = "Class to sample (conditional drifting models); default: classes in turn",
                minimum = "0") @JsonProperty("class") Integer classLabel,
        @Schema(description = "Snapshots along the way to return with the samples (JSON only)", minimum = "0",
                defaultValue = "0") Integer trajectory) {}
