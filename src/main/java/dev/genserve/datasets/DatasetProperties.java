package dev.genserve.datasets;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code genserve.datasets.*}: upload and size limits, and where the optional Fashion-MNIST files live.
 *
 * @param maxUploadBytes    largest accepted upload file (413 above); keep spring.servlet.multipart.max-file-size ≥ it
 * @param maxRows           most rows in a dataset (413 above)
 * @param maxCols           most features per row (413 above)
 * @param maxValues         most values (rows × cols) in a dataset: bounds memory, also for gzip IDX (413 above)
 * @param fashionMnistDir   directory with train-images-idx3-ubyte(.gz) and train-labels-idx1-ubyte(.gz)
 * @param defaultBuiltinRows rows materialised for a toy built-in when no n is given
 * @param maxPreviewRows    most rows {@code GET /datasets/{id}/rows} returns
 */
@ConfigurationProperties("genserve.datasets")
public record DatasetProperties(DataSize maxUploadBytes, Integer maxRows, Integer maxCols, Long maxValues,
                                Path fashionMnistDir, Integer defaultBuiltinRows, Integer maxPreviewRows) {

    public DatasetProperties {
        maxUploadBytes = maxUploadBytes == null ? DataSize.ofMegabytes(64) : maxUploadBytes;
        maxRows = maxRows == null ? 1_000_000 : maxRows;
        maxCols = maxCols == null ? 4096 : maxCols;
        maxValues = maxValues == null ? 64L * 1024 * 1024 : maxValues;
        fashionMnistDir = fashionMnistDir == null ? Path.of("/usr/share/datasets/fashion-mnist") : fashionMnistDir;
        defaultBuiltinRows = defaultBuiltinRows == null ? 10_000 : defaultBuiltinRows;
        maxPreviewRows = maxPreviewRows == null ? 1000 : maxPreviewRows;
    }

    public static DatasetProperties defaults() {
        return new DatasetProperties(null, null, null, null, null, null, null);
    }

    public DatasetLimits limits() {
        return new DatasetLimits(maxRows, maxCols, maxValues);
    }
}
