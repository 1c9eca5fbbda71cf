package dev.genserve.generative.data;

import dev.genserve.generative.FloatMatrix;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded 2-D toy distributions (and an isotropic Gaussian of any dimension) as N × D {@link FloatMatrix}; the same
 * seed always gives identical output. All sets live roughly in [−3, 3]², so they can be used with or without
 * standardisation.
 *
 * <p>Conventions (chosen here, not copied): eight Gaussians have centres 2(cos kπ/4, sin kπ/4) and std 0.2 per axis;
 * moons follow scikit-learn's shapes (upper arc (cos t, sin t), lower arc (1 − cos t, ½ − sin t)); circles have radii 1
 * and 0.5; the checkerboard is the 8 "black" unit cells of a 4 × 4 board on [−2, 2]²; the swiss roll is
 * t(cos t, sin t)/5 with t ∈ [1.5π, 4.5π]; spirals are two interleaved arms ±t(cos t, sin t)/3, t = 3π√u.
 */
public final class ToyDistributions {

    /** Names accepted by {@link #byName(String, int, long)}. */
    public static final List<String> NAMES =
            List.of("eight-gaussians", "moons", "circles", "checkerboard", "swiss-roll", "spirals", "gaussian");

    public static final double EIGHT_GAUSSIANS_RADIUS = 2.0;
    public static final double EIGHT_GAUSSIANS_STD = 0.2;
    public static final double DEFAULT_MOONS_NOISE = 0.05;
    public static final double DEFAULT_CIRCLES_NOISE = 0.05;
    public static final double DEFAULT_SWISS_ROLL_NOISE = 0.05;
    public static final double SPIRALS_NOISE = 0.1;

    /** Points with an integer label per row (mixture component, moon, circle or spiral arm). */
    public record Labeled(FloatMatrix points, int[] labels) {
        public Labeled {
            Objects.requireNonNull(points, "points");
            Objects.requireNonNull(labels, "labels");
            if (labels.length != points.rows()) {
                throw new IllegalArgumentException(labels.length + " labels for " + points.rows() + " rows");
            }
        }
    }

    private ToyDistributions() {
    }

    /** Dataset by name (see {@link #NAMES}) with default parameters; "gaussian" is 2-D standard normal. */
    public static FloatMatrix byName(String name, int n, long seed) {
        return switch (Objects.requireNonNull(name, "name")) {
            case "eight-gaussians" -> eightGaussians(n, seed);
            case "moons" -> twoMoons(n, seed, DEFAULT_MOONS_NOISE);
            case "circles" -> circles(n, seed, DEFAULT_CIRCLES_NOISE);
            case "checkerboard" -> checkerboard(n, seed);
            case "swiss-roll" -> swissRoll(n, seed, DEFAULT_SWISS_ROLL_NOISE);
            case "spirals" -> spirals(n, seed);
            case "gaussian" -> standardGaussian(n, 2, seed);
            default -> throw new IllegalArgumentException(
                    "unknown toy distribution '" + name + "'; valid names: " + String.join(", ", NAMES));
        };
    }

    /** Centre k of the eight Gaussians: radius × (cos kπ/4, sin kπ/4). */
    public static double[] eightGaussiansCenter(int k) {
        double a = k * Math.PI / 4;
        return new double[] {EIGHT_GAUSSIANS_RADIUS * Math.cos(a), EIGHT_GAUSSIANS_RADIUS * Math.sin(a)};
    }

    public static FloatMatrix eightGaussians(int n, long seed) {
        return eightGaussiansLabeled(n, seed).points();
    }

    /** Equal-weight mixture of 8 Gaussians (std 0.2) on the circle of radius 2; the label is the mode index 0..7. */
    public static Labeled eightGaussiansLabeled(int n, long seed) {
        SplittableRandom rng = rng(n, seed);
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(8);
            double[] c = eightGaussiansCenter(k);
            labels[i] = k;
            out[2 * i] = (float) (c[0] + EIGHT_GAUSSIANS_STD * rng.nextGaussian());
            out[2 * i + 1] = (float) (c[1] + EIGHT_GAUSSIANS_STD * rng.nextGaussian());
        }
        return new Labeled(new FloatMatrix(out, n, 2), labels);
    }

    public static FloatMatrix twoMoons(int n, long seed, double noise) {
        return twoMoonsLabeled(n, seed, noise).points();
    }

    /**
     * Two interleaved half circles: label 0 is (cos t, sin t), label 1 is (1 − cos t, ½ − sin t), t ~ U[0, π], each
     * with probability ½, plus N(0, noise²) per coordinate. Noise-free bounding box: [−1, 2] × [−½, 1].
     */
    public static Labeled twoMoonsLabeled(int n, long seed, double noise) {
        SplittableRandom rng = rng(n, seed);
        requireNoise(noise);
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double t = Math.PI * rng.nextDouble();
            int moon = rng.nextInt(2);
            double x = moon == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double y = moon == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            labels[i] = moon;
            out[2 * i] = (float) (x + noise * rng.nextGaussian());
            out[2 * i + 1] = (float) (y + noise * rng.nextGaussian());
        }
        return new Labeled(new FloatMatrix(out, n, 2), labels);
    }

    public static FloatMatrix circles(int n, long seed, double noise) {
        return circlesLabeled(n, seed, noise).points();
    }

    /** Two concentric circles, radius 1 (label 0) and 0.5 (label 1), uniform angle, plus N(0, noise²) noise. */
    public static Labeled circlesLabeled(int n, long seed, double noise) {
        SplittableRandom rng = rng(n, seed);
        requireNoise(noise);
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(2);
            double r = c == 0 ? 1.0 : 0.5;
            double a = 2 * Math.PI * rng.nextDouble();
            labels[i] = c;
            out[2 * i] = (float) (r * Math.cos(a) + noise * rng.nextGaussian());
            out[2 * i + 1] = (float) (r * Math.sin(a) + noise * rng.nextGaussian());
        }
        return new Labeled(new FloatMatrix(out, n, 2), labels);
    }

    /** Uniform on the 8 cells [i, i+1) × [j, j+1) of [−2, 2]² with i + j even (a 4 × 4 checkerboard). */
    public static FloatMatrix checkerboard(int n, long seed) {
        SplittableRandom rng = rng(n, seed);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int cx = rng.nextInt(4) - 2;                      // −2..1
            int cy = -2 + 2 * rng.nextInt(2) + Math.floorMod(cx, 2); // same parity as cx
            out[2 * i] = (float) (cx + rng.nextDouble());
            out[2 * i + 1] = (float) (cy + rng.nextDouble());
        }
        return new FloatMatrix(out, n, 2);
    }

    /** 2-D swiss roll t(cos t, sin t)/5, t = 1.5π(1 + 2u), u ~ U[0,1], plus N(0, noise²) noise (after scaling). */
    public static FloatMatrix swissRoll(int n, long seed, double noise) {
        SplittableRandom rng = rng(n, seed);
        requireNoise(noise);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            out[2 * i] = (float) (t * Math.cos(t) / 5 + noise * rng.nextGaussian());
            out[2 * i + 1] = (float) (t * Math.sin(t) / 5 + noise * rng.nextGaussian());
        }
        return new FloatMatrix(out, n, 2);
    }

    public static FloatMatrix spirals(int n, long seed) {
        return spiralsLabeled(n, seed).points();
    }

    /** Two arms ±t(cos t, sin t)/3 with t = 3π√u (label = arm), plus N(0, 0.1²) noise. */
    public static Labeled spiralsLabeled(int n, long seed) {
        SplittableRandom rng = rng(n, seed);
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double t = 3 * Math.PI * Math.sqrt(rng.nextDouble());
            int arm = rng.nextInt(2);
            double sign = arm == 0 ? 1.0 : -1.0;
            labels[i] = arm;
            out[2 * i] = (float) (sign * t * Math.cos(t) / 3 + SPIRALS_NOISE * rng.nextGaussian());
            out[2 * i + 1] = (float) (sign * t * Math.sin(t) / 3 + SPIRALS_NOISE * rng.nextGaussian());
        }
        return new Labeled(new FloatMatrix(out, n, 2), labels);
    }

    /** N(0, I_dim) samples. */
    public static FloatMatrix standardGaussian(int n, int dim, long seed) {
        SplittableRandom rng = rng(n, seed);
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be ≥ 1, got " + dim);
        }
        float[] out = new float[Math.multiplyExact(n, dim)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return new FloatMatrix(out, n, dim);
    }

    private static SplittableRandom rng(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be ≥ 0, got " + n);
        }
        return new SplittableRandom(seed);
    }

    private static void requireNoise(double noise) {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite value ≥ 0, got " + noise);
        }
    }
}
