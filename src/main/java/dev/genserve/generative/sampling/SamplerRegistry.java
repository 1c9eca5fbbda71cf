package dev.genserve.generative.sampling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The reverse-time samplers by API name (as score_sde's {@code sampling.py} registers predictors and correctors):
 * {@code euler-maruyama} (reverse SDE), {@code pf-ode-heun} and {@code pf-ode-euler} (probability-flow ODE),
 * {@code predictor-corrector} (reverse-diffusion predictor + Langevin corrector). Every family that reverses a
 * forward SDE looks its samplers up here.
 */
public final class SamplerRegistry {

    /** Options a sampler may use: the predictor–corrector's signal-to-noise ratio. */
    public record Options(double snr) {
        public static final Options DEFAULT = new Options(0.16);
    }

    private static final Map<String, Function<Options, ReverseSampler>> SAMPLERS = new LinkedHashMap<>();

    static {
        SAMPLERS.put(EulerMaruyamaSampler.NAME, o -> new EulerMaruyamaSampler());
        SAMPLERS.put(ProbabilityFlowHeunSampler.NAME, o -> new ProbabilityFlowHeunSampler());
        SAMPLERS.put(ProbabilityFlowEulerSampler.NAME, o -> new ProbabilityFlowEulerSampler());
        SAMPLERS.put(PredictorCorrectorSampler.NAME, o -> new PredictorCorrectorSampler(o.snr()));
    }

    /** Every registered name, in a stable order. */
    public static final List<String> NAMES = List.copyOf(SAMPLERS.keySet());

    private SamplerRegistry() {}

    /**
     * The sampler of that name; throws IllegalArgumentException listing {@code accepted} (the names the caller's
     * family offers) when the name is not one of them.
     */
    public static ReverseSampler create(String name, Options options, List<String> accepted, String family) {
        if (name == null || !accepted.contains(name) || !SAMPLERS.containsKey(name)) {
            throw new IllegalArgumentException("unknown sampler '" + name + "' for " + family + " models; accepted: "
                    + String.join(", ", accepted));
        }
        return SAMPLERS.get(name).apply(options);
    }

    /** The sampler of that name among all registered ones. */
    public static ReverseSampler create(String name, Options options) {
        return create(name, options, NAMES, "these");
    }
}
