package dev.genserve.generative;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Seeded randomness generated on the Java side and copied into NDArrays. The engine's global generator is
 * shared by every thread of the process, so using it would make concurrent training and sampling
 * non-reproducible; a {@link SplittableRandom} per (seed, stream) makes every run bitwise repeatable and lets a
 * resumed run draw exactly the numbers an uninterrupted run would.
 *
 * <p>Open for one subclass, {@link dev.genserve.generative.batch.MergedRandomSource}, the noise of several requests
 * merged into one batch; code that draws whole arrays ({@link #normal}, {@link #uniform}) and asks for
 * {@link #rowBlocks} works with both.
 */
public class RandomSource {

    private final SplittableRandom random;

    public RandomSource(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The source for one step of a run: independent of every other step, identical on every replay. */
    public static RandomSource forStep(long seed, long step) {
        return new RandomSource(mix(seed, step));
    }

    /** Mixes two longs into a well-spread seed (SplitMix64 finaliser). */
    public static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The sizes of the consecutive row blocks that draw from independent streams, for an array of {@code rows} rows:
     * one block for an ordinary source. A computation that couples rows (a batch mean, say) must couple them within a
     * block only, so that a request merged with others computes what it would alone.
     */
    public int[] rowBlocks(int rows) {
        return new int[] {rows};
    }

    public SplittableRandom random() {
        return random;
    }

    /** A standard normal draw (Marsaglia polar method). */
    public double nextGaussian() {
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** The first {@code m} entries of a seeded permutation of 0..n−1 (a partial Fisher–Yates shuffle, O(n) memory). */
    public int[] distinctIndices(int n, int m) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return java.util.Arrays.copyOf(order, m);
    }

    /** {@code count} standard normal floats. */
    public float[] gaussians(int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) nextGaussian();
        }
        return out;
    }

    /** An NDArray of i.i.d. N(0, 1) values. */
    public NDArray normal(NDManager manager, Shape shape) {
        return FloatMatrix.nativeCopy(manager, gaussians(Math.toIntExact(shape.size())), shape);
    }

    /** An NDArray of i.i.d. U(low, high) values. */
    public NDArray uniform(NDManager manager, Shape shape, double low, double high) {
        return FloatMatrix.nativeCopy(manager, uniforms(Math.toIntExact(shape.size()), low, high), shape);
    }

    /** {@code count} i.i.d. U(low, high) floats. */
    public float[] uniforms(int count, double low, double high) {
        float[] out = new float[count];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return out;
    }

    /** {@code count} indices drawn uniformly with replacement from [0, bound). */
    public int[] indices(int count, int bound) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextInt(bound);
        }
        return out;
    }
}
