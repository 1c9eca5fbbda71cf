package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;

/** φ(x) = x: drifting directly in data space, the choice for low-dimensional vectors. */
public final class IdentityFeatureMap implements FeatureMap {

    @Override
    public String name() {
        return "identity";
    }

    @Override
    public NDArray apply(NDArray x) {
        return x;
    }
}
