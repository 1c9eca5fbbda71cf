package dev.genserve.sampling;

import dev.genserve.generative.FloatMatrix;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Renders samples as a PNG: image samples (C = 1 or 3, values in [0, 1]) as a square grid of tiles, and 2-D
 * vector samples as a {@link ScatterPlot} (a square window with a 5 % margin around their bounding box, axes with
 * ticks, and, for class-conditional samples, points coloured by class with a legend).
 */
public final class PngEncoder {

    private PngEncoder() {}

    /** Whether samples of this shape can be drawn. */
    public static boolean supports(int[] shape) {
        return (shape.length == 3 && (shape[0] == 1 || shape[0] == 3)) || (shape.length == 1 && shape[0] == 2);
    }

    public static byte[] encode(FloatMatrix samples, int[] shape) {
        return encode(samples, shape, null);
    }

    /**
     * @param labels the class of each sample (class-conditional models), or null; scatter plots colour by it, image
     *     grids ignore it
     */
    public static byte[] encode(FloatMatrix samples, int[] shape, int[] labels) {
        return bytes(shape.length == 3 ? grid(samples, shape) : ScatterPlot.image(samples, labels, 640));
    }

    /** The PNG file of an image. */
    public static byte[] bytes(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage grid(FloatMatrix samples, int[] shape) {
        int channels = shape[0];
        int h = shape[1];
        int w = shape[2];
        int n = samples.rows();
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int pad = 2;
        BufferedImage image = new BufferedImage(cols * (w + pad) + pad, rows * (h + pad) + pad, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < n; k++) {
            int ox = pad + (k % cols) * (w + pad);
            int oy = pad + (k / cols) * (h + pad);
            float[] row = samples.row(k);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r;
                    int g;
                    int b;
                    if (channels == 1) {
                        r = g = b = toByte(row[y * w + x]);
                    } else {
                        r = toByte(row[y * w + x]);
                        g = toByte(row[h * w + y * w + x]);
                        b = toByte(row[2 * h * w + y * w + x]);
                    }
                    image.setRGB(ox + x, oy + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return image;
    }

    private static int toByte(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
