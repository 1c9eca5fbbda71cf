package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;

/**
 * Raw pixel patches of images flattened as (C, H, W): non-overlapping p×p patches, each a location with a field of
 * its own over its C·p·p pixels (with p = ⌈min(H, W)/4⌉: 16 patches of 7×7 for 28×28 images). A patch's field
 * attracts a generated patch to the data's patches at the same place and repels it from the other generated ones,
 * which is a much better-conditioned problem than one field over all D pixels at once.
 */
public final class PatchFeatureMap implements FeatureMap {

    private final int channels;
    private final int patch;
    private final int rowsOfPatches;
    private final int colsOfPatches;
    private final int height;
    private final int width;

    public PatchFeatureMap(int[] imageShape) {
        if (imageShape == null || imageShape.length != 3) {
            throw new IllegalArgumentException("patches need an image shape (C, H, W)");
        }
        this.channels = imageShape[0];
        this.height = imageShape[1];
        this.width = imageShape[2];
        this.patch = Math.max(1, (Math.min(height, width) + 3) / 4);
        this.rowsOfPatches = height / patch;
        this.colsOfPatches = width / patch;
        if (rowsOfPatches < 1 || colsOfPatches < 1) {
            throw new IllegalArgumentException("image too small for patches: " + height + "×" + width);
        }
    }

    @Override
    public String name() {
        return "patches-" + patch;
    }

    @Override
    public int locations() {
        return rowsOfPatches * colsOfPatches;
    }

    @Override
    public NDArray apply(NDArray x) {
        long n = x.getShape().get(0);
        NDArray img = x.reshape(n, channels, height, width);
        if (rowsOfPatches * patch != height || colsOfPatches * patch != width) {
            img = img.get(":, :, :" + rowsOfPatches * patch + ", :" + colsOfPatches * patch);
        }
        return img.reshape(n, channels, rowsOfPatches, patch, colsOfPatches, patch)
                .transpose(0, 2, 4, 1, 3, 5)
                .reshape(n, (long) locations() * channels * patch * patch);
    }
}
