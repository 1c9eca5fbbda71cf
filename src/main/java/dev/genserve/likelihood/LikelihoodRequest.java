package dev.genserve.likelihood;

import java.util.List;

/**
 * A log-likelihood request: rows in data units, the divergence estimator ("exact" trace, the default for D ≤ 16, or
 * "hutchinson", the default above), Rademacher probes per row (Hutchinson, default 4), Heun steps of the
 * probability-flow ODE (default 100) and the probes' seed (random if absent; echoed back).
 */
public record LikelihoodRequest(List<float[]> rows, String estimator, Integer probes, Integer steps, Long seed) {}
