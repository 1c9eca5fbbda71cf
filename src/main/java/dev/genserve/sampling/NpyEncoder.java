package dev.genserve.sampling;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes arrays in NumPy's NPY 1.0 format: magic, header dict padded so the data starts on a 64-byte boundary,
 * then little-endian values in C order: float32 ({@code <f4}) samples, or int64 ({@code <i8}) labels. Readable with
 * {@code numpy.load}.
 */
public final class NpyEncoder {

    private NpyEncoder() {}

    public static byte[] encode(float[] values, int[] shape) {
        ByteBuffer buffer = start("<f4", shape, values.length, 4);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    /** Integers (class labels) as int64. */
    public static byte[] encodeInt64(int[] values, int[] shape) {
        ByteBuffer buffer = start("<i8", shape, values.length, 8);
        for (int v : values) {
            buffer.putLong(v);
        }
        return buffer.array();
    }

    /** A buffer of the exact file size holding the magic and header, positioned at the data. */
    private static ByteBuffer start(String descr, int[] shape, int count, int itemSize) {
        StringBuilder dims = new StringBuilder();
        for (int s : shape) {
            dims.append(s).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(10 + headerBytes.length + count * itemSize)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buffer.putShort((short) headerBytes.length).put(headerBytes);
        return buffer;
    }
}
