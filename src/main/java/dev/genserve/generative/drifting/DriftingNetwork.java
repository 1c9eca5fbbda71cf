package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;

/** A one-step generator network x = f_θ(z, c): noise z (N × noiseDim) and conditioning c (N × condDim) → N × D. */
public interface DriftingNetwork {

    Block block();

    int noiseDim();

    /** Width of the conditioning vector (0 when unconditional). */
    int condDim();

    Shape[] inputShapes();

    NDArray generate(ParameterStore store, NDArray noise, NDArray cond, boolean training);

    /**
     * Re-draws the parameters that need more than the generic initialisation (after {@code Networks.initialize});
     * {@code rows} are the (standardised) training rows, or null.
     */
    default void initializeSpecial(long seed, FloatMatrix rows) {}
}
