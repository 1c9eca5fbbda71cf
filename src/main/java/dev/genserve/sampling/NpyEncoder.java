package dev.genserve.sampling;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a float32 array in NumPy's NPY 1.0 format: magic, header dict padded so the data starts on a 64-byte
 * boundary, then little-endian values in C order. Readable with {@code numpy.load}.
 */
public final class NpyEncoder {

    private NpyEncoder() {}

    public static byte[] encode(float[] values, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int s : shape) {
            dims.append(s).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(10 + headerBytes.length + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buffer.putShort((short) headerBytes.length).put(headerBytes);
        buffer.asFloatBuffer().put(values);
        ByteArrayOutputStream out = new ByteArrayOutputStream(buffer.capacity());
        out.write(buffer.array(), 0, buffer.capacity());
        return out.toByteArray();
    }
}
