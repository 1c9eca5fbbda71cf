package dev.genserve.generative.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format: magic 0x0000 type rank, big-endian int32 dimensions, then
 * the values), plain or gzip-compressed, for unsigned-byte data: images (rank 3) and labels (rank 1).
 */
public final class IdxReader {

    /** Unsigned bytes with their dimensions (e.g. [60000, 28, 28] or [60000]). */
    public record IdxArray(int[] dims, byte[] values) {

        public int count() {
            return dims[0];
        }

        public int at(int index) {
            return values[index] & 0xFF;
        }
    }

    private IdxReader() {}

    public static IdxArray read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
                throw new IOException(file + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic)
                        + ")");
            }
            int rank = magic & 0xFF;
            if (rank < 1 || rank > 4) {
                throw new IOException(file + ": IDX rank " + rank + " not supported");
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) {
                    throw new IOException(file + ": negative dimension " + dims[i]);
                }
                size *= dims[i];
            }
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(file + ": too large (" + size + " values)");
            }
            byte[] values = new byte[(int) size];
            data.readFully(values);
            return new IdxArray(dims, values);
        }
    }

    /** Images scaled to [−1, 1] as rows of H·W floats: v/127.5 − 1. */
    public static float[][] imagesAsRows(IdxArray images, int limit) {
        int n = Math.min(limit, images.count());
        int d = images.values().length / images.count();
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                rows[i][j] = images.at(i * d + j) / 127.5f - 1f;
            }
        }
        return rows;
    }
}
