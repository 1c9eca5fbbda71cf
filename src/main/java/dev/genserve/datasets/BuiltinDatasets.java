package dev.genserve.datasets;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.ToyDistributions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in datasets: the seeded 2-D toy distributions of {@link ToyDistributions} (labelled where the distribution
 * has components: eight-gaussians 8 classes, moons/circles/spirals 2, and the hard toys pinwheel 5, rings 3, grid 25,
 * unequal-mixture 5) and, when its files are present, the
 * Fashion-MNIST training set (60,000 28 × 28 images, 10 classes; only the first n are used when n is given).
 */
public final class BuiltinDatasets {

    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String PREFIX = "builtin:";
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** A built-in that can be materialised: name, what it is, columns, classes (0 = unlabelled), default and max n. */
    public record Builtin(String name, String description, int cols, int numClasses, int[] imageShape, int defaultN, int maxN) {
    }

    private final Path fashionMnistDir;
    private final int defaultToyRows;
    private final DatasetLimits limits;

    public BuiltinDatasets(Path fashionMnistDir, int defaultToyRows, DatasetLimits limits) {
        this.fashionMnistDir = fashionMnistDir;
        this.defaultToyRows = defaultToyRows;
        this.limits = limits;
    }

    /** Every built-in available on this machine. */
    public List<Builtin> available() {
        List<Builtin> out = new ArrayList<>();
        for (String name : ToyDistributions.NAMES) {
            out.add(find(name).orElseThrow());
        }
        find(FASHION_MNIST).ifPresent(out::add);
        return out;
    }

    public List<String> names() {
        return available().stream().map(Builtin::name).toList();
    }

    public Optional<Builtin> find(String name) {
        int maxToy = limits.maxRows();
        return Optional.ofNullable(switch (name) {
            case "eight-gaussians" -> new Builtin(name, "Mixture of 8 Gaussians (std 0.2) on a circle of radius 2; label = mode",
                    2, 8, null, defaultToyRows, maxToy);
            case "moons" -> new Builtin(name, "Two interleaved half circles, noise 0.05; label = moon", 2, 2, null, defaultToyRows, maxToy);
            case "circles" -> new Builtin(name, "Two concentric circles (radius 1 and 0.5), noise 0.05; label = circle",
                    2, 2, null, defaultToyRows, maxToy);
            case "checkerboard" -> new Builtin(name, "Uniform on the 8 black cells of a 4 × 4 checkerboard on [-2, 2]²",
                    2, 0, null, defaultToyRows, maxToy);
            case "swiss-roll" -> new Builtin(name, "2-D Swiss roll t(cos t, sin t)/5, noise 0.05", 2, 0, null, defaultToyRows, maxToy);
            case "spirals" -> new Builtin(name, "Two interleaved spiral arms, noise 0.1; label = arm", 2, 2, null, defaultToyRows, maxToy);
            case "gaussian" -> new Builtin(name, "2-D standard normal", 2, 0, null, defaultToyRows, maxToy);
            case "pinwheel" -> new Builtin(name, "Hard: 5 thin spiral arms (pinwheel, tangential std 0.05); label = arm",
                    2, 5, null, defaultToyRows, maxToy);
            case "rings" -> new Builtin(name, "Hard: 3 concentric thin rings (radii 0.75, 1.5, 2.25, noise 0.04), mass "
                    + "∝ radius; label = ring", 2, 3, null, defaultToyRows, maxToy);
            case "grid" -> new Builtin(name, "Hard: 5 × 5 grid of tight Gaussians (std 0.05, spacing 1); label = mode",
                    2, 25, null, defaultToyRows, maxToy);
            case "unequal-mixture" -> new Builtin(name, "Hard: 5 Gaussians with weights 0.45/0.30/0.15/0.07/0.03 and "
                    + "very different, anisotropic covariances; label = component", 2, 5, null, defaultToyRows, maxToy);
            case FASHION_MNIST -> fashionFiles().isPresent()
                    ? new Builtin(name, "Fashion-MNIST training set: 28 × 28 grey images in [0, 1], 10 classes",
                    784, 10, new int[] {1, 28, 28}, 60_000, 60_000)
                    : null;
            default -> null;
        });
    }

    /** Generates (toys) or reads (Fashion-MNIST) {@code n} rows; the toys use {@code seed}, Fashion-MNIST ignores it. */
    public ParsedDataset materialise(String name, int n, long seed) {
        Builtin b = find(name).orElseThrow(() -> new dev.genserve.errors.InvalidInputException(
                "Unknown built-in dataset '" + name + "'; available: " + String.join(", ", names())));
        if (n < 2 || n > b.maxN()) {
            throw new dev.genserve.errors.InvalidInputException("n for built-in '" + name + "' must be in [2, " + b.maxN() + "], got " + n);
        }
        return switch (name) {
            case FASHION_MNIST -> readFashionMnist(n);
            default -> ToyDistributions.labeledOrEmpty(name, n, seed)
                    .map(l -> labelled(l, ToyDistributions.numClasses(name)))
                    .orElseGet(() -> ParsedDataset.unlabelled(ToyDistributions.byName(name, n, seed)));
        };
    }

    private static ParsedDataset labelled(ToyDistributions.Labeled l, int classes) {
        FloatMatrix points = l.points();
        return new ParsedDataset(points, l.labels(), classes, null, null);
    }

    private ParsedDataset readFashionMnist(int n) {
        Path[] files = fashionFiles().orElseThrow();
        try (InputStream images = Files.newInputStream(files[0]); InputStream labels = Files.newInputStream(files[1])) {
            return new IdxDatasetParser(limits).parse(images, labels, n, FASHION_MNIST_CLASSES);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read Fashion-MNIST from " + fashionMnistDir + ": " + e.getMessage(), e);
        }
    }

    private Optional<Path[]> fashionFiles() {
        if (fashionMnistDir == null) {
            return Optional.empty();
        }
        Path images = firstExisting("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte");
        Path labels = firstExisting("train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte");
        return images != null && labels != null ? Optional.of(new Path[] {images, labels}) : Optional.empty();
    }

    private Path firstExisting(String... names) {
        for (String n : names) {
            Path p = fashionMnistDir.resolve(n);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        return null;
    }
}
