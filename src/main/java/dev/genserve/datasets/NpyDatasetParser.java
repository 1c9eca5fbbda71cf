package dev.genserve.datasets;

import dev.genserve.generative.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0) holding a 2-D float32 or float64 array
 * ({@code '<f4'}, {@code '<f8'}, {@code '>f4'}, {@code '>f8'}), in C or Fortran order, into N × D float32 rows.
 * Rejects other dtypes, other ranks (a 1-D array gets a hint to reshape), a data section whose size disagrees with the
 * header (truncated or with trailing bytes), NaN/Inf (with its 0-based row and column) and float64 values outside the
 * float32 range.
 */
public final class NpyDatasetParser {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private final DatasetLimits limits;

    public NpyDatasetParser(DatasetLimits limits) {
        this.limits = limits;
    }

    /** The parsed header of an NPY file. */
    public record Header(int major, int minor, String descr, boolean fortranOrder, long[] shape, int dataOffset) {
    }

    public ParsedDataset parse(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new DatasetFormatException("Could not read the NPY file: " + e.getMessage(), e);
        }
        return parse(bytes);
    }

    public ParsedDataset parse(byte[] bytes) {
        Header h = parseHeader(bytes);
        if (h.shape().length != 2) {
            String shape = shapeString(h.shape());
            if (h.shape().length == 1) {
                throw new DatasetFormatException("The NPY array is 1-D with shape " + shape
                        + "; upload a 2-D array of shape (rows, features), e.g. x.reshape(-1, 1) for one feature");
            }
            throw new DatasetFormatException("The NPY array has shape " + shape + " (" + h.shape().length
                    + "-D); a 2-D array of shape (rows, features) is required");
        }
        long rows = h.shape()[0];
        long cols = h.shape()[1];
        if (rows == 0 || cols == 0) {
            throw new DatasetFormatException("The NPY array is empty (shape " + shapeString(h.shape()) + ")");
        }
        limits.checkShape(rows, cols);
        int item = h.descr().endsWith("8") ? 8 : 4;
        long expected = rows * cols * item;
        long actual = bytes.length - (long) h.dataOffset();
        if (actual < expected) {
            throw new DatasetFormatException("The NPY file is truncated: shape " + shapeString(h.shape()) + " of "
                    + h.descr() + " needs " + expected + " data bytes, the file has " + actual);
        }
        if (actual > expected) {
            throw new DatasetFormatException("The NPY file has " + (actual - expected) + " unexpected trailing bytes after the "
                    + expected + " data bytes of shape " + shapeString(h.shape()) + " " + h.descr());
        }
        int n = (int) rows;
        int d = (int) cols;
        ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), (int) expected)
                .order(h.descr().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n * d];
        int base = h.dataOffset();
        for (long k = 0; k < (long) n * d; k++) {
            int i;
            int j;
            if (h.fortranOrder()) {
                j = (int) (k / n);
                i = (int) (k % n);
            } else {
                i = (int) (k / d);
                j = (int) (k % d);
            }
            double v = item == 8 ? buf.getDouble(base + (int) k * 8) : buf.getFloat(base + (int) k * 4);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new DatasetFormatException((Double.isNaN(v) ? "NaN" : "Inf") + " at row " + i + ", column " + j
                        + " (0-based) of the NPY array; NaN and Inf values are not allowed");
            }
            float f = (float) v;
            if (Float.isInfinite(f)) {
                throw new DatasetFormatException("Value " + v + " at row " + i + ", column " + j
                        + " (0-based) of the NPY array is outside the float32 range");
            }
            out[i * d + j] = f;
        }
        return ParsedDataset.unlabelled(new FloatMatrix(out, n, d));
    }

    /** Parses and checks the magic string, version and header dictionary. */
    public static Header parseHeader(byte[] b) {
        if (b.length == 0) {
            throw new DatasetFormatException("The NPY file is empty");
        }
        if (b.length < 10) {
            throw new DatasetFormatException("Not an NPY file: only " + b.length + " bytes");
        }
        for (int k = 0; k < MAGIC.length; k++) {
            if (b[k] != MAGIC[k]) {
                throw new DatasetFormatException("Not an NPY file: it does not start with the magic string \\x93NUMPY");
            }
        }
        int major = b[6] & 0xff;
        int minor = b[7] & 0xff;
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            offset = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new DatasetFormatException("The NPY file is truncated inside its header");
            }
            long len = (b[8] & 0xffL) | (b[9] & 0xffL) << 8 | (b[10] & 0xffL) << 16 | (b[11] & 0xffL) << 24;
            if (len > 1 << 20) {
                throw new DatasetFormatException("The NPY header length " + len + " is implausible");
            }
            headerLen = (int) len;
            offset = 12;
        } else {
            throw new DatasetFormatException("Unsupported NPY format version " + major + "." + minor
                    + "; versions 1.0, 2.0 and 3.0 are supported");
        }
        if (offset + headerLen > b.length) {
            throw new DatasetFormatException("The NPY file is truncated inside its header (" + headerLen + " header bytes declared)");
        }
        String header = new String(b, offset, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw new DatasetFormatException("The NPY header has no 'descr' (dtype): " + header.trim());
        }
        String descr = m.group(1);
        if (!List.of("<f4", "<f8", ">f4", ">f8").contains(descr)) {
            throw new DatasetFormatException("Unsupported NPY dtype '" + descr
                    + "': only float32 ('<f4', '>f4') and float64 ('<f8', '>f8') are supported; convert with x.astype('float32')");
        }
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw new DatasetFormatException("The NPY header has no 'fortran_order': " + header.trim());
        }
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw new DatasetFormatException("The NPY header has no 'shape': " + header.trim());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                dims.add(Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
            } catch (NumberFormatException e) {
                throw new DatasetFormatException("The NPY header has an invalid shape (" + s.group(1) + ")");
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        for (long dim : shape) {
            if (dim < 0) {
                throw new DatasetFormatException("The NPY header has a negative dimension in shape (" + s.group(1) + ")");
            }
        }
        return new Header(major, minor, descr, f.group(1).equals("True"), shape, offset + headerLen);
    }

    static String shapeString(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            b.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
