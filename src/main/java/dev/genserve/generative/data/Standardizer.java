package dev.genserve.generative.data;

import dev.genserve.generative.FloatMatrix;
import java.util.Arrays;
import java.util.Objects;

/**
 * Affine normalisation {@code z = (x − mean) / std} per feature, and its inverse. Plain Java (no Spring, no DJL):
 * the trainers standardise with it and the sampling side maps samples back to data units with the statistics that
 * the model version stores ({@link #mean()}, {@link #std()}, always one value per feature).
 *
 * <p><b>Std floor.</b> A constant (or nearly constant) feature would blow up. Every std is raised to
 * {@code max(std_j, 1e-3 · max_k std_k, 1e-6)}. Applying the floor twice changes nothing, so a standardiser rebuilt
 * from stored statistics with {@link #of(double[], double[])} is identical to the original.
 *
 * <p><b>Images.</b> Pixels share one scale, and per-pixel statistics would make always-black border pixels explode:
 * {@link #fitGlobal(FloatMatrix)} uses a single mean and std over all values, repeated for every feature.
 *
 * <p>Statistics are population statistics (divide by N), computed in double precision in two passes.
 */
public final class Standardizer {

    public static final double RELATIVE_STD_FLOOR = 1e-3;
    public static final double ABSOLUTE_STD_FLOOR = 1e-6;

    private final double[] mean;
    private final double[] std;
    private final float[] meanF;
    private final float[] invStdF;
    private final float[] stdF;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
        int d = mean.length;
        meanF = new float[d];
        stdF = new float[d];
        invStdF = new float[d];
        for (int j = 0; j < d; j++) {
            meanF[j] = (float) mean[j];
            stdF[j] = (float) std[j];
            invStdF[j] = (float) (1.0 / std[j]);
        }
    }

    /** A standardiser from given statistics; the std floor is applied. */
    public static Standardizer of(double[] mean, double[] std) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must have the same non-zero length, got "
                    + mean.length + " and " + std.length);
        }
        double maxStd = 0;
        for (int j = 0; j < std.length; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j]) || std[j] < 0) {
                throw new IllegalArgumentException("invalid statistics for feature " + j + ": mean=" + mean[j] + ", std=" + std[j]);
            }
            maxStd = Math.max(maxStd, std[j]);
        }
        double floor = Math.max(RELATIVE_STD_FLOOR * maxStd, ABSOLUTE_STD_FLOOR);
        double[] floored = new double[std.length];
        for (int j = 0; j < std.length; j++) {
            floored[j] = Math.max(std[j], floor);
        }
        return new Standardizer(mean.clone(), floored);
    }

    /** The identity transform for {@code dim} features. */
    public static Standardizer identity(int dim) {
        double[] ones = new double[dim];
        Arrays.fill(ones, 1.0);
        return of(new double[dim], ones);
    }

    /** Per-feature statistics of {@code x}. */
    public static Standardizer fit(FloatMatrix x) {
        double[][] s = columnStatistics(x);
        return of(s[0], s[1]);
    }

    /** One mean and std over every value of {@code x} (for images), repeated for each feature. */
    public static Standardizer fitGlobal(FloatMatrix x) {
        double[] s = globalStatistics(x);
        double[] mean = new double[x.cols()];
        double[] std = new double[x.cols()];
        Arrays.fill(mean, s[0]);
        Arrays.fill(std, s[1]);
        return of(mean, std);
    }

    /** {@link #fitGlobal} for images, {@link #fit} otherwise. */
    public static Standardizer fit(FloatMatrix x, boolean image) {
        return image ? fitGlobal(x) : fit(x);
    }

    /** {mean[], std[]} per column (population std, no floor). */
    public static double[][] columnStatistics(FloatMatrix x) {
        requireRows(x);
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
                mean[j] += v[o + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] var = new double[d];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
                double c = v[o + j] - mean[j];
                var[j] += c * c;
            }
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(var[j] / n);
        }
        return new double[][] {mean, std};
    }

    /** {mean, std} over all values (population std, no floor). */
    public static double[] globalStatistics(FloatMatrix x) {
        requireRows(x);
        float[] v = x.data();
        double sum = 0;
        for (float f : v) {
            sum += f;
        }
        double mean = sum / v.length;
        double ss = 0;
        for (float f : v) {
            double c = f - mean;
            ss += c * c;
        }
        return new double[] {mean, Math.sqrt(ss / v.length)};
    }

    private static void requireRows(FloatMatrix x) {
        if (x.rows() == 0 || x.cols() == 0) {
            throw new IllegalArgumentException("statistics need at least one row and one column, got " + x);
        }
    }

    /** {@code (x − mean) / std}, as a new matrix. */
    public FloatMatrix forward(FloatMatrix x) {
        check(x);
        int d = x.cols();
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int k = 0; k < in.length; k++) {
            int j = k % d;
            out[k] = (in[k] - meanF[j]) * invStdF[j];
        }
        return new FloatMatrix(out, x.rows(), d);
    }

    /** {@code z · std + mean}, as a new matrix. */
    public FloatMatrix inverse(FloatMatrix z) {
        check(z);
        int d = z.cols();
        float[] in = z.data();
        float[] out = new float[in.length];
        for (int k = 0; k < in.length; k++) {
            int j = k % d;
            out[k] = in[k] * stdF[j] + meanF[j];
        }
        return new FloatMatrix(out, z.rows(), d);
    }

    private void check(FloatMatrix x) {
        if (x.cols() != mean.length) {
            throw new IllegalArgumentException("matrix has " + x.cols() + " columns, the standardiser " + mean.length);
        }
    }

    public int dimension() {
        return mean.length;
    }

    /** Per-feature means (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** Per-feature stds after the floor (a copy). */
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[d=" + mean.length + "]";
    }
}
