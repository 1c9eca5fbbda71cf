package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Patch statistics of images flattened as (C, H, W): for non-overlapping p×p patches, the per-channel mean μ and
 * standard deviation sqrt(E[x²] − μ² + ε), concatenated into one vector (2·C·⌊H/p⌋·⌊W/p⌋ features). A patch as
 * large as the image gives the global mean/std. {@link #multiScale} builds the default set (4, 7 and global).
 */
public final class PatchStatisticsFeatureMap implements FeatureMap {

    private static final float EPS = 1e-4f;

    private final int channels;
    private final int height;
    private final int width;
    private final int patch;

    public PatchStatisticsFeatureMap(int[] imageShape, int patch) {
        if (imageShape == null || imageShape.length != 3) {
            throw new IllegalArgumentException("patch statistics need an image shape (C, H, W)");
        }
        if (patch < 1 || patch > Math.max(imageShape[1], imageShape[2])) {
            throw new IllegalArgumentException("patch size must be in [1, " + Math.max(imageShape[1], imageShape[2])
                    + "], got " + patch);
        }
        this.channels = imageShape[0];
        this.height = imageShape[1];
        this.width = imageShape[2];
        this.patch = patch;
    }

    /** Patch sizes 4 and 7 (where they fit) plus the global statistics. */
    public static List<FeatureMap> multiScale(int[] imageShape) {
        List<FeatureMap> maps = new ArrayList<>();
        int side = Math.min(imageShape[1], imageShape[2]);
        for (int p : new int[] {4, 7}) {
            if (p < side) {
                maps.add(new PatchStatisticsFeatureMap(imageShape, p));
            }
        }
        maps.add(new PatchStatisticsFeatureMap(imageShape, Math.max(imageShape[1], imageShape[2])));
        return maps;
    }

    @Override
    public String name() {
        return "patch-stats-" + patch;
    }

    @Override
    public NDArray apply(NDArray x) {
        long n = x.getShape().get(0);
        NDArray img = x.reshape(n, channels, height, width);
        Shape kernel = new Shape(Math.min(patch, height), Math.min(patch, width));
        NDArray mean = Pool.avgPool2d(img, kernel, kernel, new Shape(0, 0), false, true);
        NDArray meanSq = Pool.avgPool2d(img.square(), kernel, kernel, new Shape(0, 0), false, true);
        NDArray std = Activation.relu(meanSq.sub(mean.square())).add(EPS).sqrt(); // no saved scalar operand
        return mean.reshape(n, -1).concat(std.reshape(n, -1), 1);
    }
}
