package dev.genserve.datasets;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import java.util.List;
import java.util.UUID;

/**
 * A stored dataset in memory, for trainers: the rows in data units, labels (class ids, or null), numClasses (0 when
 * unlabelled), the image shape (C, H, W) or null, the per-feature mean and std as stored (population statistics, no
 * floor), the class names (or null), and the SHA-256 of the float32 little-endian row bytes.
 */
public record LoadedDataset(UUID id, String name, FloatMatrix rows, int[] labels, int numClasses, int[] imageShape,
                            double[] mean, double[] std, List<String> classNames, String sha256) {

    public boolean isImage() {
        return imageShape != null;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * The normalisation for training on this dataset: per-feature mean/std for vectors; one global mean/std across all
     * pixels for images (see {@link Standardizer}). Fitted on all rows, so every split of the dataset shares it.
     */
    public Standardizer standardizer() {
        return isImage() ? Standardizer.fitGlobal(rows) : Standardizer.of(mean, std);
    }

    /** All rows, standardised with {@code s}, with the labels. */
    public TrainingData trainingData(Standardizer s) {
        return new TrainingData(s.forward(rows), labels, numClasses, imageShape);
    }
}
