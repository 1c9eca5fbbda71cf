package dev.genserve.datasets;

import dev.genserve.generative.FloatMatrix;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Parses MNIST-style IDX files: images (magic {@code 0x00000803}: unsigned bytes, dimensions N × H × W) and an optional
 * labels file (magic {@code 0x00000801}: N unsigned bytes). Either file may be gzip-compressed; that is detected from
 * the gzip magic bytes {@code 1f 8b}, not from the file name. Pixels are scaled to [0, 1] (value / 255) and each image
 * becomes one row of H·W values with image shape (1, H, W). Labels are class ids; numClasses is max + 1.
 *
 * <p>Only as many bytes as the header declares are read, after checking them against the limits, so a small gzip
 * file cannot inflate into unbounded memory.
 */
public final class IdxDatasetParser {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private final DatasetLimits limits;

    public IdxDatasetParser(DatasetLimits limits) {
        this.limits = limits;
    }

    /** Parses images and, if {@code labels} is not null, their labels. */
    public ParsedDataset parse(InputStream images, InputStream labels) {
        return parse(images, labels, Integer.MAX_VALUE, null);
    }

    /**
     * Parses at most {@code take} images (and as many labels); {@code classNames}, if given, names the classes
     * (its size is then numClasses).
     */
    public ParsedDataset parse(InputStream images, InputStream labels, int take, List<String> classNames) {
        try (DataInputStream in = new DataInputStream(maybeGunzip(images, "images"))) {
            int magic = readHeaderInt(in, "images", "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new DatasetFormatException(magic == LABELS_MAGIC
                        ? "The IDX images file is a labels file (magic 0x00000801); send the images as 'file' and the labels as 'labels'"
                        : "The IDX images file has magic number 0x" + hex(magic)
                          + "; expected 0x00000803 (unsigned bytes, 3 dimensions: count × height × width)");
            }
            int count = readHeaderInt(in, "images", "image count");
            int h = readHeaderInt(in, "images", "height");
            int w = readHeaderInt(in, "images", "width");
            if (count <= 0 || h <= 0 || w <= 0) {
                throw new DatasetFormatException("The IDX images file declares " + count + " images of " + h + " × " + w
                        + "; all must be positive");
            }
            int n = Math.min(count, take);
            long cols = (long) h * w;
            limits.checkShape(n, cols);
            int d = (int) cols;
            byte[] pixels = new byte[n * d];
            try {
                in.readFully(pixels);
            } catch (EOFException e) {
                throw new DatasetFormatException("The IDX images file is truncated: it declares " + count + " images of "
                        + h + " × " + w + " (" + (long) count * d + " pixel bytes)");
            }
            if (n == count && in.read() != -1) {
                throw new DatasetFormatException("The IDX images file has trailing bytes after the " + (long) count * d
                        + " pixel bytes of " + count + " images of " + h + " × " + w);
            }
            float[] values = new float[pixels.length];
            for (int k = 0; k < pixels.length; k++) {
                values[k] = (pixels[k] & 0xff) / 255f;
            }
            FloatMatrix rows = new FloatMatrix(values, n, d);
            int[] shape = {1, h, w};
            if (labels == null) {
                return new ParsedDataset(rows, null, 0, shape, null);
            }
            int[] ids = parseLabels(labels, count, n);
            int max = 0;
            for (int id : ids) {
                max = Math.max(max, id);
            }
            int numClasses = classNames != null ? classNames.size() : max + 1;
            if (max >= numClasses) {
                throw new DatasetFormatException("IDX label " + max + " is outside the " + numClasses + " named classes");
            }
            return new ParsedDataset(rows, ids, numClasses, shape, classNames);
        } catch (IOException e) {
            throw new DatasetFormatException("Could not read the IDX images file: " + e.getMessage(), e);
        }
    }

    private static int[] parseLabels(InputStream labels, int imageCount, int n) throws IOException {
        try (DataInputStream in = new DataInputStream(maybeGunzip(labels, "labels"))) {
            int magic = readHeaderInt(in, "labels", "magic number");
            if (magic != LABELS_MAGIC) {
                throw new DatasetFormatException(magic == IMAGES_MAGIC
                        ? "The IDX labels file is an images file (magic 0x00000803); send the images as 'file' and the labels as 'labels'"
                        : "The IDX labels file has magic number 0x" + hex(magic)
                          + "; expected 0x00000801 (unsigned bytes, 1 dimension)");
            }
            int count = readHeaderInt(in, "labels", "label count");
            if (count != imageCount) {
                throw new DatasetFormatException("The IDX labels file has " + count + " labels but the images file has "
                        + imageCount + " images");
            }
            byte[] raw = new byte[n];
            try {
                in.readFully(raw);
            } catch (EOFException e) {
                throw new DatasetFormatException("The IDX labels file is truncated: it declares " + count + " labels");
            }
            if (n == count && in.read() != -1) {
                throw new DatasetFormatException("The IDX labels file has trailing bytes after its " + count + " labels");
            }
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = raw[i] & 0xff;
            }
            return ids;
        }
    }

    private static int readHeaderInt(DataInputStream in, String which, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DatasetFormatException("The IDX " + which + " file is " + (what.equals("magic number") ? "empty or " : "")
                    + "truncated: it ends before its " + what);
        }
    }

    /** Wraps {@code in} in a gzip decoder when it starts with the gzip magic bytes. */
    static InputStream maybeGunzip(InputStream in, String which) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int b0 = b.read();
        int b1 = b.read();
        b.reset();
        if (b0 == -1) {
            throw new DatasetFormatException("The IDX " + which + " file is empty");
        }
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16);
            } catch (IOException e) {
                throw new DatasetFormatException("The IDX " + which + " file looks gzip-compressed but is corrupt: " + e.getMessage(), e);
            }
        }
        return b;
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }
}
