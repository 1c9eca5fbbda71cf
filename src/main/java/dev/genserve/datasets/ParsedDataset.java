package dev.genserve.datasets;

import dev.genserve.generative.FloatMatrix;
import java.util.List;
import java.util.Objects;

/**
 * What a parser produces: N × D rows, optional class ids per row in [0, numClasses), the class names when labels were
 * strings (index = class id; null when the labels were already integer ids), and for images the shape (C, H, W) that a
 * row flattens (null for plain vectors).
 */
public record ParsedDataset(FloatMatrix rows, int[] labels, int numClasses, int[] imageShape, List<String> classNames) {

    public ParsedDataset {
        Objects.requireNonNull(rows, "rows");
        if (labels != null && labels.length != rows.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + rows.rows() + " rows");
        }
        if (labels == null && numClasses != 0) {
            throw new IllegalArgumentException("numClasses without labels");
        }
        if (classNames != null && classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + numClasses + " classes");
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
    }

    public static ParsedDataset unlabelled(FloatMatrix rows) {
        return new ParsedDataset(rows, null, 0, null, null);
    }

    public boolean hasLabels() {
        return labels != null;
    }
}
