package dev.genserve.likelihood;

/**
 * Log-likelihoods of posted rows under a diffusion model version, in data units.
 *
 * @param model model name
 * @param version version number
 * @param dimension D
 * @param estimator "exact" or "hutchinson"
 * @param probes probes per row (D for the exact trace)
 * @param steps Heun steps of the probability-flow ODE
 * @param seed seed of the probes
 * @param logJacobian −Σ_j log σ_j of the standardisation, included in every value
 * @param logLikelihood log p(x) per row, nats
 * @param bitsPerDim −log p(x) / (D ln 2) per row
 * @param functionEvaluations score-network evaluations per row
 * @param millis wall time
 */
public record LikelihoodResult(String model, int version, int dimension, String estimator, int probes, int steps,
        long seed, double logJacobian, double[] logLikelihood, double[] bitsPerDim, long functionEvaluations,
        double millis) {}
