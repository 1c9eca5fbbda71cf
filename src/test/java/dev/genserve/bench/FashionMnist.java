package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.IdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One split of Fashion-MNIST read from IDX files (gzip or plain): images as rows of 784 pixels in IdxReader's
 * scale v/127.5 − 1 ([−1, 1]) and their labels 0..9.
 *
 * @param images N × 784
 * @param labels N labels
 */
record FashionMnist(FloatMatrix images, int[] labels) {

    /** Where Debian's {@code dataset-fashion-mnist} installs the IDX files. */
    static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;
    static final int CLASSES = 10;

    /** Whether {@code dir} holds both splits. */
    static boolean available(Path dir) {
        return file(dir, "train-images-idx3-ubyte").isPresent() && file(dir, "train-labels-idx1-ubyte").isPresent()
                && file(dir, "t10k-images-idx3-ubyte").isPresent() && file(dir, "t10k-labels-idx1-ubyte").isPresent();
    }

    /** The message for a missing dataset. */
    static String missing(Path dir) {
        return "Fashion-MNIST not found in " + dir + " (Debian package `dataset-fashion-mnist`)";
    }

    /** The training split (60,000) or, with {@code test}, the test split (10,000); at most {@code limit} rows. */
    static FashionMnist read(Path dir, boolean test, int limit) throws IOException {
        Path[] files = files(dir, test);
        Path imageFile = files[0];
        Path labelFile = files[1];
        IdxReader.IdxArray img = IdxReader.read(imageFile);
        if (img.dims().length != 3 || img.dims()[1] != SIDE || img.dims()[2] != SIDE) {
            throw new IOException(imageFile + ": expected N × 28 × 28 images");
        }
        IdxReader.IdxArray lab = IdxReader.read(labelFile);
        int n = Math.min(limit, Math.min(img.count(), lab.count()));
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = lab.at(i);
        }
        return new FashionMnist(FloatMatrix.of(IdxReader.imagesAsRows(img, n)), labels);
    }

    /** The images and labels files of a split. */
    static Path[] files(Path dir, boolean test) throws IOException {
        String prefix = test ? "t10k" : "train";
        return new Path[] {
            file(dir, prefix + "-images-idx3-ubyte").orElseThrow(() -> new IOException(missing(dir))),
            file(dir, prefix + "-labels-idx1-ubyte").orElseThrow(() -> new IOException(missing(dir)))};
    }

    private static Optional<Path> file(Path dir, String name) {
        for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isReadable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
