package dev.genserve.sampling;

import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.sampling.PredictorCorrectorSampler;
import dev.genserve.generative.sampling.ProbabilityFlowHeunSampler;
import tools.jackson.databind.JsonNode;

/**
 * The work a sample request will cost, in multiply-adds, estimated before any of it is done:
 * <pre>cost = n × network evaluations × parameters  (+ steps × n × cloud × D for the attractor's mean field)</pre>
 * Network evaluations per sample: one for a drifting model; {@code steps} for the attractor and for diffusion with
 * Euler–Maruyama, twice that for Heun's probability flow and for predictor–corrector. {@code steps} is the request's,
 * else the version's default. Attractor requests smaller than the model's {@code minCloud} run a cloud of that size.
 */
public final class SampleCost {

    private SampleCost() {}

    /** What a request will cost and the network evaluations per sample it implies. */
    public record Estimate(double multiplyAdds, long evaluationsPerSample) {}

    public static Estimate estimate(String family, JsonNode config, SampleSpec spec, long parameters, int dimension) {
        long n = spec.n();
        return switch (family) {
            case "drifting" -> new Estimate((double) n * parameters, 1);
            case "attractor" -> {
                long steps = spec.steps() != null ? spec.steps()
                        : config.path("sampleSteps").asLong(config.path("simulationSteps").asLong(100));
                long minCloud = config.path("minCloud").asLong(256);
                long maxCloud = Math.max(1, config.path("maxCloud").asLong(4096));
                long clouds = (n + maxCloud - 1) / maxCloud;
                long particles = Math.max(n, Math.min(minCloud, maxCloud) * clouds);
                long cloud = Math.min(Math.max(n, minCloud), maxCloud);
                double field = (double) steps * particles * cloud * dimension;
                yield new Estimate((double) particles * steps * parameters + field, steps);
            }
            default -> {
                long steps = spec.steps() != null ? spec.steps() : config.path("sampleSteps").asLong(500);
                String sampler = spec.sampler() != null ? spec.sampler() : config.path("sampler").asString("");
                long perStep = ProbabilityFlowHeunSampler.NAME.equals(sampler)
                        || PredictorCorrectorSampler.NAME.equals(sampler) ? 2 : 1;
                yield new Estimate((double) n * steps * perStep * parameters, steps * perStep);
            }
        };
    }
}
