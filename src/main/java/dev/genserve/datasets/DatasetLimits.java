package dev.genserve.datasets;

import dev.genserve.errors.PayloadTooLargeException;

/**
 * Size limits a parser enforces while reading, before allocating: rows, columns (features) and values (rows × cols,
 * which bounds memory: 4 bytes per value, also for a small gzip file that inflates to a huge IDX).
 */
public record DatasetLimits(int maxRows, int maxCols, long maxValues) {

    public static final DatasetLimits DEFAULT = new DatasetLimits(1_000_000, 4096, 64L * 1024 * 1024);

    public DatasetLimits {
        if (maxRows < 1 || maxCols < 1 || maxValues < 1) {
            throw new IllegalArgumentException("dataset limits must be positive");
        }
    }

    void checkCols(long cols) {
        if (cols > maxCols) {
            throw new PayloadTooLargeException("The dataset has " + cols + " columns, more than the limit of " + maxCols
                    + " (genserve.datasets.max-cols)");
        }
    }

    void checkRows(long rows) {
        if (rows > maxRows) {
            throw new PayloadTooLargeException("The dataset has " + (rows == maxRows + 1L ? "more than " + maxRows : rows)
                    + " rows, more than the limit of " + maxRows + " (genserve.datasets.max-rows)");
        }
    }

    void checkShape(long rows, long cols) {
        checkCols(cols);
        checkRows(rows);
        if (rows * cols > maxValues) {
            throw new PayloadTooLargeException("The dataset has " + rows + " × " + cols + " = " + rows * cols
                    + " values, more than the limit of " + maxValues + " (genserve.datasets.max-values)");
        }
    }
}
