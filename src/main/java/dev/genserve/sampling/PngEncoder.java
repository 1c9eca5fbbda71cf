package dev.genserve.sampling;

import dev.genserve.generative.FloatMatrix;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Renders samples as a PNG: image samples (C = 1 or 3, values in [0, 1]) as a square grid of tiles, and 2-D
 * vector samples as a scatter plot with a 5 % margin around their bounding box.
 */
public final class PngEncoder {

    private PngEncoder() {}

    /** Whether samples of this shape can be drawn. */
    public static boolean supports(int[] shape) {
        return (shape.length == 3 && (shape[0] == 1 || shape[0] == 3)) || (shape.length == 1 && shape[0] == 2);
    }

    public static byte[] encode(FloatMatrix samples, int[] shape) {
        BufferedImage image = shape.length == 3 ? grid(samples, shape) : scatter(samples, 640);
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

    private static BufferedImage scatter(FloatMatrix samples, int size) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < samples.rows(); i++) {
            minX = Math.min(minX, samples.get(i, 0));
            maxX = Math.max(maxX, samples.get(i, 0));
            minY = Math.min(minY, samples.get(i, 1));
            maxY = Math.max(maxY, samples.get(i, 1));
        }
        double span = Math.max(Math.max(maxX - minX, maxY - minY), 1e-9) * 1.1;
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(0, 0, size - 1, size - 1);
        g.setColor(new Color(31, 119, 180, 110));
        for (int i = 0; i < samples.rows(); i++) {
            int x = (int) Math.round((samples.get(i, 0) - cx) / span * size + size / 2.0);
            int y = (int) Math.round(size / 2.0 - (samples.get(i, 1) - cy) / span * size);
            g.fillOval(x - 2, y - 2, 4, 4);
        }
        g.dispose();
        return image;
    }
}
