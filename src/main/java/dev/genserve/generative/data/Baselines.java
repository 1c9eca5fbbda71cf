package dev.genserve.generative.data;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.density.GaussianDensity;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deliberately flawed "generators" that a trained model must beat in quality tests: a Gaussian fitted to the data's
 * mean and covariance (what a model that learned only the first two moments produces: a blob), a blurred copy of the
 * data (x + σ·z, z ~ N(0, I)) and a mode-dropped copy (rows of dropped labels replaced by rows drawn from the kept
 * ones).
 */
public final class Baselines {

    private Baselines() {
    }

    /**
     * n draws from N(μ̂, Σ̂), the Gaussian with the data's sample mean and (unbiased) covariance, seeded. A small ridge
     * (1e-9 × the mean variance) keeps Σ̂ positive definite for degenerate data.
     */
    public static FloatMatrix fittedGaussian(FloatMatrix data, int n, long seed) {
        int rows = data.rows();
        int d = data.cols();
        if (rows < 2) {
            throw new IllegalArgumentException("a Gaussian fit needs at least 2 rows, got " + rows);
        }
        double[] mean = new double[d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data.get(i, j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows;
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < rows; i++) {
            for (int a = 0; a < d; a++) {
                double da = data.get(i, a) - mean[a];
                for (int b = 0; b <= a; b++) {
                    cov[a][b] += da * (data.get(i, b) - mean[b]);
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                cov[a][b] /= rows - 1;
                cov[b][a] = cov[a][b];
            }
            trace += cov[a][a];
        }
        double ridge = Math.max(1e-9 * trace / d, 1e-12);
        for (int a = 0; a < d; a++) {
            cov[a][a] += ridge;
        }
        return new GaussianDensity(mean, cov).sample(n, new RandomSource(seed));
    }

    /** x + sigma·z with z ~ N(0, I), seeded. */
    public static FloatMatrix blurred(FloatMatrix x, double sigma, long seed) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite value ≥ 0, got " + sigma);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] + sigma * rng.nextGaussian());
        }
        return new FloatMatrix(out, x.rows(), x.cols());
    }

    /**
     * A set of the same size as x in which every row whose label is in {@code dropped} is replaced by a uniformly
     * chosen (with replacement, seeded) row of a kept label; kept rows stay in place.
     *
     * @throws IllegalArgumentException if labels do not match x's rows, or every row is dropped
     */
    public static FloatMatrix dropLabels(FloatMatrix x, int[] labels, Set<Integer> dropped, long seed) {
        int n = x.rows();
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " rows");
        }
        int[] kept = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!dropped.contains(labels[i])) {
                kept[k++] = i;
            }
        }
        if (k == 0 && n > 0) {
            throw new IllegalArgumentException("every row has a dropped label " + dropped);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = dropped.contains(labels[i]) ? kept[rng.nextInt(k)] : i;
        }
        return x.selectRows(rows);
    }

    /** Eight Gaussians of size n with the given modes dropped (their mass resampled from the other modes). */
    public static FloatMatrix modeDropped(int n, long seed, int... droppedModes) {
        ToyDistributions.Labeled data = ToyDistributions.eightGaussiansLabeled(n, seed);
        Set<Integer> dropped = Set.copyOf(Arrays.stream(droppedModes).boxed().toList());
        return dropLabels(data.points(), data.labels(), dropped, new SplittableRandom(seed).split().nextLong());
    }
}
