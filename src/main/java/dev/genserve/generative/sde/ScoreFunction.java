package dev.genserve.generative.sde;

import ai.djl.ndarray.NDArray;

/**
 * A score ∇ₓ log p_t(x) evaluated on a batch x (N × D) at one time t; the result is N × D and attached to x's
 * manager. Implemented by analytic densities (ground truth) and by trained score networks, so every sampler works
 * with both.
 */
@FunctionalInterface
public interface ScoreFunction {

    NDArray score(NDArray x, double t);
}
