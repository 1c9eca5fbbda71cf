package dev.genserve.generative;

/**
 * What a trainer learns from: N standardised rows of dimension D, optional integer class labels in
 * [0, numClasses), and, for images, the shape (channels, height, width) that a row flattens.
 */
public record TrainingData(FloatMatrix rows, int[] labels, int numClasses, int[] imageShape) {

    public TrainingData {
        if (rows.rows() < 2) {
            throw new IllegalArgumentException("training needs at least 2 rows, got " + rows.rows());
        }
        if (labels != null) {
            if (labels.length != rows.rows()) {
                throw new IllegalArgumentException(labels.length + " labels for " + rows.rows() + " rows");
            }
            for (int label : labels) {
                if (label < 0 || label >= numClasses) {
                    throw new IllegalArgumentException("label " + label + " outside [0, " + numClasses + ")");
                }
            }
        }
        if (imageShape != null) {
            long size = 1;
            for (int s : imageShape) {
                size *= s;
            }
            if (imageShape.length != 3 || size != rows.cols()) {
                throw new IllegalArgumentException("image shape must be (C, H, W) with C·H·W = " + rows.cols());
            }
        }
    }

    /** Unlabelled vectors. */
    public static TrainingData of(FloatMatrix rows) {
        return new TrainingData(rows, null, 0, null);
    }

    public int dimension() {
        return rows.cols();
    }

    public boolean labelled() {
        return labels != null;
    }

    public boolean isImage() {
        return imageShape != null;
    }
}
