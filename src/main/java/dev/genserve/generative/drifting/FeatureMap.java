package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;

/**
 * A fixed, differentiable feature map φ: N×D → N×(L·F) on which the drifting field is computed; the generator
 * receives gradient through φ(x) from the loss ‖φ(x)/s − stopgrad(φ(x)/s + V)‖². A map with L &gt; 1
 * {@link #locations()} yields one F-dimensional vector per location (an image patch, say), and each location gets a
 * field of its own, as the published method does with the locations of its feature encoder.
 */
public interface FeatureMap {

    /** Stable name, as used in the config. */
    String name();

    /** φ of the rows of x (N×D), attached to x's manager: N × (locations · F), location-major within a row. */
    NDArray apply(NDArray x);

    /** The number L of locations, each with its own field; 1 for a single vector per sample. */
    default int locations() {
        return 1;
    }
}
