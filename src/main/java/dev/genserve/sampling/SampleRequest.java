package dev.genserve.sampling;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A sample request: how many, the seed (random if absent; echoed back so the result can be reproduced), and the
 * family options: sampler and steps (diffusion, attractor), guidance and class (conditional drifting), and the
 * number of trajectory snapshots (JSON output only).
 */
public record SampleRequest(Integer n, Long seed, String sampler, Integer steps, Double guidance,
        @JsonProperty("class") Integer classLabel, Integer trajectory) {}
