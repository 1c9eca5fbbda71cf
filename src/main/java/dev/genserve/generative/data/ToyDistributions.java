package dev.genserve.generative.data;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.density.GaussianDensity;
import dev.genserve.generative.density.GaussianMixture;
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
 *
 * <p>The hard toys ({@link #HARD}), each labelled by its component:
 * <ul>
 *   <li>{@code pinwheel}: 5 thin spiral arms (Johnson et al. 2016): f ~ N((1, 0), diag(0.3², 0.05²)), rotated by
 *       2πk/5 + 0.25·e^{f₁}, then scaled by 1.2;</li>
 *   <li>{@code rings}: 3 concentric rings of radii 0.75, 1.5, 2.25 with radial noise N(0, 0.04²), mass proportional
 *       to the radius (uniform along the curves);</li>
 *   <li>{@code grid}: 25 equal Gaussians of std 0.05 centred on {−2, −1, 0, 1, 2}²;</li>
 *   <li>{@code unequal-mixture}: 5 Gaussians with weights 0.45, 0.30, 0.15, 0.07, 0.03 and very different covariances
 *       (a long thin ellipse 1.2 × 0.06, a round blob of std 0.5, a tight blob of std 0.05, a thin ellipse
 *       0.4 × 0.08, a small blob of std 0.1); see {@link #unequalMixture()}.</li>
 * </ul>
 */
public final class ToyDistributions {

    /** The hard toys: thin or high-frequency structure on which a blob or a blur is easy to tell from the data. */
    public static final List<String> HARD = List.of("pinwheel", "rings", "grid", "unequal-mixture");

    /** Names accepted by {@link #byName(String, int, long)}. */
    public static final List<String> NAMES = List.of("eight-gaussians", "moons", "circles", "checkerboard",
            "swiss-roll", "spirals", "gaussian", "pinwheel", "rings", "grid", "unequal-mixture");

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
            case "pinwheel", "rings", "grid", "unequal-mixture" -> labeledByName(name, n, seed).points();
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

    /**
     * A labelled toy by name, with its number of classes; empty for the unlabelled ones (checkerboard, swiss-roll,
     * gaussian).
     */
    public static java.util.Optional<Labeled> labeledOrEmpty(String name, int n, long seed) {
        return switch (Objects.requireNonNull(name, "name")) {
            case "eight-gaussians" -> java.util.Optional.of(eightGaussiansLabeled(n, seed));
            case "moons" -> java.util.Optional.of(twoMoonsLabeled(n, seed, DEFAULT_MOONS_NOISE));
            case "circles" -> java.util.Optional.of(circlesLabeled(n, seed, DEFAULT_CIRCLES_NOISE));
            case "spirals" -> java.util.Optional.of(spiralsLabeled(n, seed));
            case "pinwheel", "rings", "grid", "unequal-mixture" -> java.util.Optional.of(labeledByName(name, n, seed));
            default -> java.util.Optional.empty();
        };
    }

    /** Number of classes of a labelled toy (0 for the unlabelled ones). */
    public static int numClasses(String name) {
        return switch (Objects.requireNonNull(name, "name")) {
            case "eight-gaussians" -> 8;
            case "moons", "circles", "spirals" -> 2;
            case "pinwheel" -> PINWHEEL_ARMS;
            case "rings" -> RING_RADII.length;
            case "grid" -> 25;
            case "unequal-mixture" -> UNEQUAL_WEIGHTS.length;
            default -> 0;
        };
    }

    private static Labeled labeledByName(String name, int n, long seed) {
        return switch (name) {
            case "pinwheel" -> pinwheel(n, seed);
            case "rings" -> rings(n, seed);
            case "grid" -> grid(n, seed);
            case "unequal-mixture" -> mixtureLabeled(unequalMixture(), n, seed);
            default -> throw new IllegalArgumentException(name);
        };
    }

    public static final int PINWHEEL_ARMS = 5;
    static final double PINWHEEL_RADIAL_STD = 0.3;
    static final double PINWHEEL_TANGENTIAL_STD = 0.05;
    static final double PINWHEEL_RATE = 0.25;
    static final double PINWHEEL_SCALE = 1.2;

    /**
     * Five thin spiral arms (the "pinwheel" of Johnson et al. 2016): f ~ N((1, 0), diag(0.3², 0.05²)), arm k rotates f
     * by θ = 2πk/5 + 0.25·e^{f₁}, and the result is scaled by 1.2. Label = arm.
     */
    public static Labeled pinwheel(int n, long seed) {
        SplittableRandom rng = rng(n, seed);
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(PINWHEEL_ARMS);
            double f0 = 1 + PINWHEEL_RADIAL_STD * rng.nextGaussian();
            double f1 = PINWHEEL_TANGENTIAL_STD * rng.nextGaussian();
            double angle = 2 * Math.PI * k / PINWHEEL_ARMS + PINWHEEL_RATE * Math.exp(f0);
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            labels[i] = k;
            out[2 * i] = (float) (PINWHEEL_SCALE * (c * f0 - s * f1));
            out[2 * i + 1] = (float) (PINWHEEL_SCALE * (s * f0 + c * f1));
        }
        return new Labeled(new FloatMatrix(out, n, 2), labels);
    }

    static final double[] RING_RADII = {0.75, 1.5, 2.25};
    static final double RING_NOISE = 0.04;

    /** Three concentric thin rings (radii 0.75, 1.5, 2.25, radial noise 0.04), mass ∝ radius. Label = ring. */
    public static Labeled rings(int n, long seed) {
        SplittableRandom rng = rng(n, seed);
        double total = 0;
        for (double r : RING_RADII) {
            total += r;
        }
        float[] out = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble() * total;
            int k = 0;
            while (k < RING_RADII.length - 1 && (u -= RING_RADII[k]) >= 0) {
                k++;
            }
            double a = 2 * Math.PI * rng.nextDouble();
            double r = RING_RADII[k] + RING_NOISE * rng.nextGaussian();
            labels[i] = k;
            out[2 * i] = (float) (r * Math.cos(a));
            out[2 * i + 1] = (float) (r * Math.sin(a));
        }
        return new Labeled(new FloatMatrix(out, n, 2), labels);
    }

    static final double GRID_STD = 0.05;

    /** 25 equal Gaussians of std 0.05 centred on {−2, −1, 0, 1, 2}². Label = 5·(i + 2) + (j + 2) for centre (i, j). */
    public static Labeled grid(int n, long seed) {
        return mixtureLabeled(gridMixture(), n, seed);
    }

    /** The 5 × 5 grid as a mixture, for its exact density. */
    public static GaussianMixture gridMixture() {
        double[] weights = new double[25];
        double[][] means = new double[25][];
        double[] stds = new double[25];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                int k = 5 * i + j;
                weights[k] = 1;
                means[k] = new double[] {i - 2, j - 2};
                stds[k] = GRID_STD;
            }
        }
        return GaussianMixture.isotropic(weights, means, stds);
    }

    static final double[] UNEQUAL_WEIGHTS = {0.45, 0.30, 0.15, 0.07, 0.03};

    /**
     * Five Gaussians with unequal weights and very different covariances: (0.45) mean (−1.5, 1), stds 1.2 × 0.06 at
     * 30°; (0.30) mean (1.5, 1.2), std 0.5; (0.15) mean (1.2, −1.5), std 0.05; (0.07) mean (−1.2, −1.5), stds
     * 0.4 × 0.08 at −60°; (0.03) mean (0, 0), std 0.1.
     */
    public static GaussianMixture unequalMixture() {
        List<GaussianDensity> components = List.of(
                rotated(new double[] {-1.5, 1.0}, 1.2, 0.06, Math.toRadians(30)),
                GaussianDensity.isotropic(new double[] {1.5, 1.2}, 0.5),
                GaussianDensity.isotropic(new double[] {1.2, -1.5}, 0.05),
                rotated(new double[] {-1.2, -1.5}, 0.4, 0.08, Math.toRadians(-60)),
                GaussianDensity.isotropic(new double[] {0.0, 0.0}, 0.1));
        return new GaussianMixture(UNEQUAL_WEIGHTS, components);
    }

    /** Eight Gaussians as a mixture, for its exact density. */
    public static GaussianMixture eightGaussiansMixture() {
        double[] weights = new double[8];
        double[][] means = new double[8][];
        double[] stds = new double[8];
        for (int k = 0; k < 8; k++) {
            weights[k] = 1;
            means[k] = eightGaussiansCenter(k);
            stds[k] = EIGHT_GAUSSIANS_STD;
        }
        return GaussianMixture.isotropic(weights, means, stds);
    }

    /** N(mean, R diag(a², b²) Rᵀ) with R the rotation by {@code angle}. */
    private static GaussianDensity rotated(double[] mean, double a, double b, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double[][] cov = {
            {a * a * c * c + b * b * s * s, (a * a - b * b) * c * s},
            {(a * a - b * b) * c * s, a * a * s * s + b * b * c * c}};
        return new GaussianDensity(mean, cov);
    }

    /** n exact draws from a mixture, labelled by component. */
    public static Labeled mixtureLabeled(GaussianMixture mixture, int n, long seed) {
        rng(n, seed);
        GaussianMixture.LabeledSample s = mixture.sampleLabeled(n, new dev.genserve.generative.RandomSource(seed));
        return new Labeled(s.points(), s.labels());
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
