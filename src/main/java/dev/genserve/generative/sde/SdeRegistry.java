package dev.genserve.generative.sde;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.metrics.SampleQuality;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The forward SDEs by name, shared by training (diffusion), sampling and forward simulation
 * ({@code POST /processes/simulate}): each type resolves its {@link SdeConfig} (defaults filled in, values validated
 * with messages that name the field) and builds the {@link Sde}.
 */
public final class SdeRegistry {

    /** One SDE type: fills its defaults and validates, then builds. */
    private record Type(Function<Resolution, SdeConfig> resolve, Function<SdeConfig, Sde> build) {}

    /** What a type's resolver sees: the config with type, T and eps already resolved, and the data. */
    private record Resolution(SdeConfig config, String type, double horizon, double eps, FloatMatrix data) {}

    private static final Map<String, Type> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("vp", new Type(SdeRegistry::resolveVp,
                s -> new VpSde(s.betaMin(), s.betaMax(), s.T(), s.eps())));
        TYPES.put("subvp", new Type(SdeRegistry::resolveVp,
                s -> new SubVpSde(s.betaMin(), s.betaMax(), s.T(), s.eps())));
        TYPES.put("ve", new Type(SdeRegistry::resolveVe,
                s -> new VeSde(s.sigmaMin(), s.sigmaMax(), s.T(), s.eps())));
        TYPES.put("ou", new Type(SdeRegistry::resolveOu,
                s -> new OrnsteinUhlenbeckSde(s.theta(), s.sigma(), s.T(), s.eps())));
        TYPES.put("brownian", new Type(SdeRegistry::resolveBrownian,
                s -> new BrownianSde(s.sigma(), s.T(), s.eps())));
        TYPES.put("composed", new Type(SdeRegistry::resolveComposed,
                s -> new ComposedSde(s.drift(), s.diffusion(), s.T(), s.eps())));
    }

    /** The type names, in a stable order. */
    public static final List<String> NAMES = List.copyOf(TYPES.keySet());

    private SdeRegistry() {}

    /** Fills defaults and validates (data decides VE's σ_max); throws IllegalArgumentException naming the field. */
    public static SdeConfig resolve(SdeConfig s, FloatMatrix data) {
        String type = s.type() == null ? "vp" : s.type().toLowerCase(java.util.Locale.ROOT);
        require(TYPES.containsKey(type), "sde.type must be one of " + NAMES + ", got '" + s.type() + "'");
        double horizon = or(s.T(), type.equals("ou") ? 5.0 : 1.0);
        double eps = or(s.eps(), type.equals("brownian") ? 1e-4 : 1e-3);
        require(horizon > 0 && Double.isFinite(horizon), "sde.T must be a finite value > 0, got " + horizon);
        require(eps > 0 && eps < horizon, "sde.eps must be in (0, T), got " + eps);
        return TYPES.get(type).resolve().apply(new Resolution(s, type, horizon, eps, data));
    }

    /** Builds the SDE of a resolved config (a composed SDE comes back without its fit). */
    public static Sde build(SdeConfig resolved) {
        Type type = TYPES.get(resolved.type());
        if (type == null) {
            throw new IllegalArgumentException("unknown sde type " + resolved.type() + "; valid: " + NAMES);
        }
        return type.build().apply(resolved);
    }

    private static SdeConfig resolveVp(Resolution r) {
        double betaMin = or(r.config().betaMin(), 0.1);
        double betaMax = or(r.config().betaMax(), 20.0);
        require(betaMin > 0 && betaMax >= betaMin && betaMax <= 1e4,
                "sde.betaMin/betaMax must satisfy 0 < betaMin ≤ betaMax ≤ 10000, got " + betaMin + ", " + betaMax);
        return new SdeConfig(r.type(), betaMin, betaMax, null, null, null, null, null, null, r.horizon(), r.eps(),
                null);
    }

    private static SdeConfig resolveVe(Resolution r) {
        double sigmaMin = or(r.config().sigmaMin(), 0.01);
        double sigmaMax = r.config().sigmaMax() != null ? r.config().sigmaMax()
                : Math.max(2 * sigmaMin, maxPairwiseDistance(r.data()));
        require(sigmaMin > 0 && sigmaMax > sigmaMin && Double.isFinite(sigmaMax),
                "sde.sigmaMin/sigmaMax must satisfy 0 < sigmaMin < sigmaMax < ∞, got " + sigmaMin + ", " + sigmaMax);
        return new SdeConfig(r.type(), null, null, sigmaMin, sigmaMax, null, null, null, null, r.horizon(), r.eps(),
                null);
    }

    private static SdeConfig resolveOu(Resolution r) {
        double theta = or(r.config().theta(), 1.0);
        double sigma = or(r.config().sigma(), Math.sqrt(2.0));
        require(theta > 0 && theta <= 1e3, "sde.theta must be in (0, 1000], got " + theta);
        require(sigma > 0 && sigma <= 1e3, "sde.sigma must be in (0, 1000], got " + sigma);
        return new SdeConfig(r.type(), null, null, null, null, theta, sigma, null, null, r.horizon(), r.eps(), null);
    }

    private static SdeConfig resolveBrownian(Resolution r) {
        double sigma = or(r.config().sigma(), 5.0);
        require(sigma > 0 && sigma <= 1e3, "sde.sigma must be in (0, 1000], got " + sigma);
        return new SdeConfig(r.type(), null, null, null, null, null, sigma, null, null, r.horizon(), r.eps(), null);
    }

    private static SdeConfig resolveComposed(Resolution r) {
        SdeConfig s = r.config();
        require(s.drift() != null && !s.drift().isBlank(), "sde.drift is required for type composed");
        require(s.diffusion() != null && !s.diffusion().isBlank(), "sde.diffusion is required for type composed");
        int steps = s.simulationSteps() == null ? 100 : s.simulationSteps();
        require(steps >= 2 && steps <= 10_000, "sde.simulationSteps must be in [2, 10000], got " + steps);
        new ComposedSde(s.drift(), s.diffusion(), r.horizon(), r.eps()); // validates the expressions
        return new SdeConfig(r.type(), null, null, null, null, null, null, s.drift(), s.diffusion(), r.horizon(),
                r.eps(), steps);
    }

    /** Largest pairwise distance among at most 1000 seeded rows (σ_max of the VE SDE). */
    static double maxPairwiseDistance(FloatMatrix data) {
        FloatMatrix x = SampleQuality.subsample(data, 1000, 0L);
        double best = 0;
        for (int i = 0; i < x.rows(); i++) {
            for (int j = i + 1; j < x.rows(); j++) {
                double d = 0;
                for (int k = 0; k < x.cols(); k++) {
                    double v = x.get(i, k) - x.get(j, k);
                    d += v * v;
                }
                best = Math.max(best, d);
            }
        }
        return Math.sqrt(best);
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
