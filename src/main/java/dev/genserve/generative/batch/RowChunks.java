package dev.genserve.generative.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.sde.ScoreFunction;

/**
 * Evaluates a row-wise computation (a network, a score) on chunks of exactly {@code rows} rows, the last one padded
 * with zero rows, so that a row's result never depends on how many rows are evaluated with it.
 *
 * <p>Why: one forward pass over more rows is not bitwise the same per row. libtorch's GEMM picks its kernel (and its
 * threading) by the row count M: on the 2-core Xeon here, rows of a 1–3-row product (1–11 rows with two threads)
 * differ in the last bits from the same rows inside a 4096-row product, and for a width that is not a multiple of 16
 * (hidden = 100) some 30 row counts up to 130 differ, from the scalar tail of the vectorised element-wise loops. A row
 * of a chunk of fixed shape, on the other hand, came out bit-identical at every position in the chunk and whatever its
 * neighbours held (see docs/benchmarks.md, "Batching"). With {@code rows} a multiple of 64, rows × width is a multiple
 * of the vector loop's 32 floats for every width, and of it again when two threads split an element-wise op, so no
 * element ever falls into a scalar tail.
 *
 * <p>Requests of at most {@link #maxRequestRows} rows are always evaluated in chunks, alone or merged with others, and
 * so give the same bytes either way; larger ones gain nothing from merging and run in one piece.
 */
public final class RowChunks {

    /** One chunk's computation: {@code chunk} has exactly {@link #rows} rows, of which the first {@code count} are real. */
    @FunctionalInterface
    public interface Chunk {
        NDArray apply(NDArray chunk, int from, int count);
    }

    private final int rows;
    private final int maxRequestRows;

    public RowChunks(int rows, int maxRequestRows) {
        if (rows < 1 || rows % 64 != 0 || maxRequestRows < 1) {
            throw new IllegalArgumentException("chunk rows must be a positive multiple of 64 and the request limit "
                    + "positive, got " + rows + " and " + maxRequestRows);
        }
        this.rows = rows;
        this.maxRequestRows = maxRequestRows;
    }

    public int rows() {
        return rows;
    }

    /** The largest request that is evaluated in chunks (and may be merged with others). */
    public int maxRequestRows() {
        return maxRequestRows;
    }

    /** Whether a request of {@code n} rows is evaluated in chunks, so that it may be merged with others. */
    public boolean mergeable(int n) {
        return n <= maxRequestRows;
    }

    /**
     * f applied to x in chunks: the result has x's rows, row i computed in a chunk of exactly {@link #rows} rows. The
     * arrays made along the way are attached to x's manager.
     */
    public NDArray map(NDArray x, Chunk f) {
        Shape shape = x.getShape();
        int n = Math.toIntExact(shape.get(0));
        NDManager manager = x.getManager();
        NDList outputs = new NDList();
        for (int from = 0; from < n; from += rows) {
            int count = Math.min(rows, n - from);
            NDArray chunk = count == n ? x : x.get(new NDIndex("{}:{}", from, from + count));
            if (count < rows) {
                long[] padShape = shape.getShape().clone();
                padShape[0] = rows - count;
                chunk = chunk.concat(manager.zeros(new Shape(padShape), x.getDataType(), x.getDevice()), 0);
            }
            NDArray y = f.apply(chunk, from, count);
            outputs.add(count < rows ? y.get(new NDIndex("0:{}", count)) : y);
        }
        return outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(outputs, 0);
    }

    /** A score evaluated in chunks. */
    public ScoreFunction score(ScoreFunction rowWise) {
        return (x, t) -> map(x, (chunk, from, count) -> rowWise.score(chunk, t));
    }

    /**
     * Rows [from, from + count) of a row-major matrix with {@code cols} columns, followed by zero rows up to
     * {@code rows} rows: a padded chunk for generators that build their inputs in Java.
     */
    public static float[] padRows(float[] values, int cols, int from, int count, int rows) {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        System.arraycopy(values, from * cols, out, 0, count * cols);
        return out;
    }
}
