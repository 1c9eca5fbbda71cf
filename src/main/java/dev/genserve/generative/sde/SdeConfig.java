package dev.genserve.generative.sde;

/**
 * The forward SDE of a diffusion model (all fields nullable; {@link DiffusionFamily#resolve} fills defaults).
 *
 * @param type vp | subvp | ve | ou | brownian | composed (default vp)
 * @param betaMin VP/sub-VP β_min (0.1)
 * @param betaMax VP/sub-VP β_max (20)
 * @param sigmaMin VE σ_min (0.01)
 * @param sigmaMax VE σ_max (default: the largest pairwise distance of a data subsample)
 * @param theta OU θ (1)
 * @param sigma OU σ (√2, stationary N(0, I)) or Brownian σ (5)
 * @param drift composed drift expression of x and t, e.g. "-0.5*beta(0.1,20)*x"
 * @param diffusion composed diffusion expression of t, e.g. "sqrt(beta(0.1,20))"
 * @param T end time (5 for OU, 1 otherwise)
 * @param eps smallest time (1e-4 for Brownian, 1e-3 otherwise)
 * @param simulationSteps Euler–Maruyama grid of a composed SDE's training simulation (100)
 */
public record SdeConfig(String type, Double betaMin, Double betaMax, Double sigmaMin, Double sigmaMax, Double theta,
        Double sigma, String drift, String diffusion, Double T, Double eps, Integer simulationSteps) {

    /** The default VP SDE. */
    public static SdeConfig vp() {
        return new SdeConfig("vp", null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A composed SDE from drift and diffusion expressions. */
    public static SdeConfig composed(String drift, String diffusion) {
        return new SdeConfig("composed", null, null, null, null, null, null, drift, diffusion, null, null, null);
    }

    /** A linear SDE of the given type with default parameters. */
    public static SdeConfig ofType(String type) {
        return new SdeConfig(type, null, null, null, null, null, null, null, null, null, null, null);
    }
}
