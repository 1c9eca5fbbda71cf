package dev.genserve.generative;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major N × D matrix of floats: the plain-Java currency between the service and the math core
 * (datasets in, samples out), so that no NDArray ever outlives the NDManager scope that made it.
 */
public record FloatMatrix(float[] data, int rows, int cols) {

    public FloatMatrix {
        Objects.requireNonNull(data, "data");
        if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " values, expected rows*cols = " + rows + "*" + cols);
        }
    }

    /** A zero matrix of the given shape. */
    public static FloatMatrix zeros(int rows, int cols) {
        return new FloatMatrix(new float[Math.multiplyExact(rows, cols)], rows, cols);
    }

    /** Copies a rectangular array of rows. */
    public static FloatMatrix of(float[][] rowsData) {
        int n = rowsData.length;
        int d = n == 0 ? 0 : rowsData[0].length;
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            if (rowsData[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + rowsData[i].length + " values, expected " + d);
            }
            System.arraycopy(rowsData[i], 0, flat, i * d, d);
        }
        return new FloatMatrix(flat, n, d);
    }

    /** Copies a 2-D NDArray (any float type) into a FloatMatrix. */
    public static FloatMatrix fromNd(NDArray array) {
        Shape shape = array.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("expected a 2-D array, got shape " + shape);
        }
        return new FloatMatrix(array.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
                Math.toIntExact(shape.get(0)), Math.toIntExact(shape.get(1)));
    }

    /**
     * Creates an N × D float32 NDArray attached to {@code manager}, in engine-owned memory (see
     * {@link #nativeCopy}).
     */
    public NDArray toNd(NDManager manager) {
        return nativeCopy(manager, data, new Shape(rows, cols));
    }

    /**
     * An array holding a copy of {@code values} in engine-owned memory. {@code NDManager.create(float[])} makes
     * the tensor alias a Java direct buffer that is released when its wrapper is closed, while views and
     * autograd may still reference the tensor; a native copy has no such lifetime coupling.
     */
    public static NDArray nativeCopy(NDManager manager, float[] values, Shape shape) {
        try (NDArray staged = manager.create(values, shape)) {
            return staged.duplicate();
        }
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** A new matrix holding the given rows, in that order. */
    public FloatMatrix selectRows(int[] indices) {
        float[] out = new float[indices.length * cols];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(data, indices[k] * cols, out, k * cols, cols);
        }
        return new FloatMatrix(out, indices.length, cols);
    }

    /** Rows [from, to). */
    public FloatMatrix slice(int from, int to) {
        return new FloatMatrix(Arrays.copyOfRange(data, from * cols, to * cols), to - from, cols);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + "x" + cols + "]";
    }
}
