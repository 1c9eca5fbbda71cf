package dev.genserve.generative.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The noise of several requests merged into one batch: an array of Σnᵢ rows takes rows [oᵢ, oᵢ + nᵢ) from request
 * i's own {@link RandomSource}, drawn exactly as that request alone would draw its n × … array. As long as every draw
 * covers the whole batch (as the step loops' {@link #normal} calls do), each request sees the numbers, in the order,
 * of a solo run. Scalar draws have no meaning for a merged batch and throw.
 */
public final class MergedRandomSource extends RandomSource {

    private final List<RandomSource> parts;
    private final int[] rows;
    private final int total;

    /** Request i owns {@code rows[i]} consecutive rows and draws from {@code parts.get(i)}. */
    public MergedRandomSource(List<RandomSource> parts, int[] rows) {
        super(0L);
        if (parts.size() != rows.length || parts.isEmpty()) {
            throw new IllegalArgumentException(parts.size() + " sources for " + rows.length + " row blocks");
        }
        this.parts = List.copyOf(parts);
        this.rows = rows.clone();
        int sum = 0;
        for (int r : rows) {
            if (r < 1) {
                throw new IllegalArgumentException("every block needs ≥ 1 row, got " + r);
            }
            sum = Math.addExact(sum, r);
        }
        this.total = sum;
    }

    @Override
    public int[] rowBlocks(int rowCount) {
        requireWholeBatch(rowCount);
        return rows.clone();
    }

    @Override
    public NDArray normal(NDManager manager, Shape shape) {
        return merged(manager, shape, RandomSource::gaussians);
    }

    @Override
    public NDArray uniform(NDManager manager, Shape shape, double low, double high) {
        return merged(manager, shape, (part, count) -> part.uniforms(count, low, high));
    }

    /** How one request draws {@code count} values. */
    private interface BlockDraw {
        float[] draw(RandomSource part, int count);
    }

    private NDArray merged(NDManager manager, Shape shape, BlockDraw draw) {
        int perRow = perRow(shape);
        float[] out = new float[Math.multiplyExact(total, perRow)];
        int offset = 0;
        for (int i = 0; i < rows.length; i++) {
            float[] block = draw.draw(parts.get(i), rows[i] * perRow);
            System.arraycopy(block, 0, out, offset, block.length);
            offset += block.length;
        }
        return FloatMatrix.nativeCopy(manager, out, shape);
    }

    private int perRow(Shape shape) {
        requireWholeBatch(shape.dimension() == 0 ? -1 : Math.toIntExact(shape.get(0)));
        return Math.toIntExact(shape.size() / total);
    }

    private void requireWholeBatch(long rowCount) {
        if (rowCount != total) {
            throw new IllegalStateException("a merged batch of " + total + " rows cannot draw " + rowCount
                    + " rows: every draw must cover the whole batch");
        }
    }

    private static UnsupportedOperationException scalar() {
        return new UnsupportedOperationException("a merged batch draws whole-batch arrays only (normal, uniform)");
    }

    @Override
    public SplittableRandom random() {
        throw scalar();
    }

    @Override
    public double nextGaussian() {
        throw scalar();
    }

    @Override
    public double nextDouble() {
        throw scalar();
    }

    @Override
    public int nextInt(int bound) {
        throw scalar();
    }

    @Override
    public float[] gaussians(int count) {
        throw scalar();
    }

    @Override
    public float[] uniforms(int count, double low, double high) {
        throw scalar();
    }

    @Override
    public int[] indices(int count, int bound) {
        throw scalar();
    }
}
