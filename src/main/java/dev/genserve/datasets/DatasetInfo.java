package dev.genserve.datasets;

import java.time.Instant;
import java.util.UUID;

/** A dataset's metadata without its rows (JSON columns as text); see {@link DatasetService#describe}. */
public record DatasetInfo(UUID id, String name, String source, String format, String description, int rows, int cols,
                          String shape, boolean hasLabels, Integer numClasses, String featureMean, String featureStd,
                          String classNames, String sha256, Instant createdAt) {
}
