package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;

/**
 * A fixed, differentiable feature map φ: N×D → N×F on which the drifting field is computed; the generator receives
 * gradient through φ(x) from the loss ‖φ(x)/S − stopgrad(φ(x)/S + V)‖².
 */
public interface FeatureMap {

    /** Stable name, as used in the config. */
    String name();

    /** φ of the rows of x (N×D), attached to x's manager. */
    NDArray apply(NDArray x);
}
