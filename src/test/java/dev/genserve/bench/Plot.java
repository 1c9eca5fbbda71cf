package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.sampling.ScatterPlot;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Minimal plotting on java.awt for the benchmark report: line plots (optionally log-log, with an error bar per
 * point and dashed reference lines), grids of 2-D scatter panels with axes (drawn by the service's
 * {@link ScatterPlot}) and blocks of 28×28 image tiles. Non-positive values are dropped from log axes.
 */
final class Plot {

    static final Color[] PALETTE = ScatterPlot.PALETTE;

    /** Longer series (time series) are drawn as a plain line, without a marker at each point. */
    static final int MAX_MARKED_POINTS = 60;

    private Plot() {}

    /** One curve: x, y (median), optional lo/hi (spread), drawn as a line with markers, or dashed. */
    record Series(String name, double[] x, double[] y, double[] lo, double[] hi, boolean dashed) {
        static Series of(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, null, false);
        }

        static Series withSpread(String name, double[] x, Stats[] s) {
            double[] y = new double[s.length];
            double[] lo = new double[s.length];
            double[] hi = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                y[i] = s[i].median();
                lo[i] = s[i].min();
                hi[i] = s[i].max();
            }
            return new Series(name, x, y, lo, hi, false);
        }

        static Series horizontal(String name, double x0, double x1, double y) {
            return new Series(name, new double[] {x0, x1}, new double[] {y, y}, null, null, true);
        }
    }

    /** A single line plot written to {@code file}. */
    static void lines(Path file, String title, String xLabel, String yLabel, boolean logX, boolean logY,
            List<Series> series) {
        write(file, linePanel(title, xLabel, yLabel, logX, logY, series, 640, 440));
    }

    /** Panels side by side (cols per row), written to {@code file}. */
    static void grid(Path file, List<BufferedImage> panels, int cols) {
        int w = panels.get(0).getWidth();
        int h = panels.get(0).getHeight();
        int rows = (panels.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(w * Math.min(cols, panels.size()), h * rows,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        write(file, out);
    }

    static BufferedImage linePanel(String title, String xLabel, String yLabel, boolean logX, boolean logY,
            List<Series> series, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        int left = 78;
        int right = 170;
        int top = 34;
        int bottom = 52;
        int pw = width - left - right;
        int ph = height - top - bottom;
        double[] xr = range(series, true, logX);
        double[] yr = range(series, false, logY);
        Axis ax = new Axis(xr[0], xr[1], logX, left, left + pw);
        Axis ay = new Axis(yr[0], yr[1], logY, top + ph, top);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(left, top, pw, ph);
        for (double t : ax.ticks()) {
            int px = (int) Math.round(ax.map(t));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, top + 1, px, top + ph - 1);
            g.setColor(Color.BLACK);
            g.drawLine(px, top + ph, px, top + ph + 4);
            String s = label(t);
            g.drawString(s, px - g.getFontMetrics().stringWidth(s) / 2, top + ph + 17);
        }
        for (double t : ay.ticks()) {
            int py = (int) Math.round(ay.map(t));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(left + 1, py, left + pw - 1, py);
            g.setColor(Color.BLACK);
            g.drawLine(left - 4, py, left, py);
            String s = label(t);
            g.drawString(s, left - 7 - g.getFontMetrics().stringWidth(s), py + 4);
        }
        g.drawString(xLabel, left + pw / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, height - 14);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(yLabel, -(top + ph / 2 + gy.getFontMetrics().stringWidth(yLabel) / 2), 16);
        gy.dispose();
        Graphics2D clip = (Graphics2D) g.create();
        clip.clipRect(left, top, pw + 1, ph + 1);
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            Color c = PALETTE[si % PALETTE.length];
            clip.setColor(c);
            clip.setStroke(s.dashed()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
                    : new BasicStroke(2f));
            double px0 = Double.NaN;
            double py0 = Double.NaN;
            for (int i = 0; i < s.x().length; i++) {
                if (!ax.valid(s.x()[i]) || !ay.valid(s.y()[i])) {
                    px0 = Double.NaN;
                    continue;
                }
                double px = ax.map(s.x()[i]);
                double py = ay.map(s.y()[i]);
                if (!Double.isNaN(px0)) {
                    clip.draw(new Line2D.Double(px0, py0, px, py));
                }
                if (!s.dashed() && s.x().length <= MAX_MARKED_POINTS) {
                    clip.fill(new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7));
                }
                if (s.lo() != null && ay.valid(s.lo()[i]) && ay.valid(s.hi()[i])) {
                    thinStroke(clip);
                    clip.draw(new Line2D.Double(px, ay.map(s.lo()[i]), px, ay.map(s.hi()[i])));
                    clip.draw(new Line2D.Double(px - 3, ay.map(s.lo()[i]), px + 3, ay.map(s.lo()[i])));
                    clip.draw(new Line2D.Double(px - 3, ay.map(s.hi()[i]), px + 3, ay.map(s.hi()[i])));
                    clip.setStroke(new BasicStroke(2f));
                }
                px0 = px;
                py0 = py;
            }
        }
        clip.dispose();
        int ly = top + 8;
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            g.setColor(PALETTE[si % PALETTE.length]);
            g.setStroke(s.dashed()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
                    : new BasicStroke(2f));
            g.drawLine(left + pw + 10, ly, left + pw + 30, ly);
            g.setColor(Color.BLACK);
            g.drawString(shorten(s.name(), 22), left + pw + 35, ly + 4);
            ly += 16;
        }
        g.dispose();
        return img;
    }

    private static void thinStroke(Graphics2D g) {
        g.setStroke(new BasicStroke(1f));
    }

    /** One scatter cell: points and the class of each (null: one colour). */
    record Scatter(FloatMatrix points, int[] labels) {
        static Scatter of(FloatMatrix points) {
            return new Scatter(points, null);
        }
    }

    /**
     * A grid of 2-D scatter panels with axes and ticks ({@link ScatterPlot}): cells[r][c] (null = empty), every
     * panel of row r in the window {@code rowWindows[r]}, so the columns of a row compare at the same scale.
     */
    static void scatterGrid(Path file, String title, String[] rowLabels, String[] colLabels, Scatter[][] cells,
            ScatterPlot.Window[] rowWindows) {
        int cell = 230;
        int left = 124;
        int top = 52;
        int width = left + cell * colLabels.length + 10;
        int height = top + (cell + 8) * rowLabels.length + 6;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = titled(img, title);
        for (int c = 0; c < colLabels.length; c++) {
            drawCentered(g, shorten(colLabels[c], 32), left + c * cell + cell / 2 + 18, top - 8);
        }
        for (int r = 0; r < rowLabels.length; r++) {
            int y0 = top + r * (cell + 8);
            g.setColor(Color.BLACK);
            g.drawString(shorten(rowLabels[r], 18), 6, y0 + cell / 2);
            for (int c = 0; c < colLabels.length; c++) {
                Scatter s = cells[r][c];
                if (s != null) {
                    ScatterPlot.draw(g, left + c * cell, y0, cell, cell, s.points(), s.labels(), rowWindows[r], 2.2,
                            80);
                }
            }
        }
        g.dispose();
        write(file, img);
    }

    /** {@link #scatterGrid} with every panel in [−lim, lim]² and one colour (the first wave's signature). */
    static void scatterGrid(Path file, String title, String[] rowLabels, String[] colLabels, FloatMatrix[][] cells,
            double lim) {
        Scatter[][] scatters = new Scatter[cells.length][];
        ScatterPlot.Window[] windows = new ScatterPlot.Window[cells.length];
        for (int r = 0; r < cells.length; r++) {
            scatters[r] = java.util.Arrays.stream(cells[r]).map(m -> m == null ? null : Scatter.of(m))
                    .toArray(Scatter[]::new);
            windows[r] = new ScatterPlot.Window(-lim, lim, -lim, lim);
        }
        scatterGrid(file, title, rowLabels, colLabels, scatters, windows);
    }

    /**
     * Blocks of images side by side, one block per entry of {@code blocks}: rows × cols 28×28 tiles (row-major:
     * tile i is row i / cols), pixels in [−1, 1] shown as grey levels (clamped), each tile magnified
     * {@code scale}×, a title above each block.
     */
    static void imageBlocks(Path file, String title, String[] names, FloatMatrix[] blocks, int rows, int cols,
            int scale) {
        int side = FashionMnist.SIDE;
        int tile = side * scale + 2;
        int blockWidth = cols * tile;
        int gap = 16;
        int top = 46;
        int width = names.length * (blockWidth + gap) + gap;
        int height = top + rows * tile + 10;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = titled(img, title);
        for (int b = 0; b < names.length; b++) {
            int x0 = gap + b * (blockWidth + gap);
            drawCentered(g, shorten(names[b], 40), x0 + blockWidth / 2, top - 8);
            FloatMatrix m = blocks[b];
            if (m == null) {
                continue;
            }
            for (int i = 0; i < Math.min(m.rows(), rows * cols); i++) {
                int tx = x0 + (i % cols) * tile + 1;
                int ty = top + (i / cols) * tile + 1;
                for (int py = 0; py < side * scale; py++) {
                    for (int px = 0; px < side * scale; px++) {
                        float v = m.get(i, (py / scale) * side + px / scale);
                        int grey = Float.isNaN(v) ? 0 : Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
                        img.setRGB(tx + px, ty + py, (grey << 16) | (grey << 8) | grey);
                    }
                }
            }
        }
        g.dispose();
        write(file, img);
    }

    private static void drawCentered(Graphics2D g, String s, int cx, int y) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, y);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A white canvas with a bold title at the top left, the font set for labels. */
    private static Graphics2D titled(BufferedImage img, String title) {
        Graphics2D g = canvas(img);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 19);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    private static double[] range(List<Series> series, boolean xs, boolean log) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            List<double[]> arrays = new ArrayList<>();
            arrays.add(xs ? s.x() : s.y());
            if (!xs && s.lo() != null) {
                arrays.add(s.lo());
                arrays.add(s.hi());
            }
            for (double[] a : arrays) {
                for (double v : a) {
                    if (Double.isFinite(v) && (!log || v > 0)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (!Double.isFinite(lo)) {
            return log ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (log) {
            double l = Math.log10(lo);
            double h = Math.log10(hi);
            if (h - l < 0.3) {
                l -= 0.15;
                h += 0.15;
            }
            double pad = 0.05 * (h - l);
            return new double[] {Math.pow(10, l - pad), Math.pow(10, h + pad)};
        }
        if (hi - lo < 1e-12) {
            hi = lo + 1;
        }
        double pad = 0.05 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }

    private record Axis(double lo, double hi, boolean log, double p0, double p1) {
        boolean valid(double v) {
            return Double.isFinite(v) && (!log || v > 0);
        }

        double map(double v) {
            double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                    : (v - lo) / (hi - lo);
            return p0 + f * (p1 - p0);
        }

        List<Double> ticks() {
            List<Double> out = new ArrayList<>();
            if (log) {
                int a = (int) Math.floor(Math.log10(lo));
                int b = (int) Math.ceil(Math.log10(hi));
                int stride = Math.max(1, (b - a) / 8);
                for (int e = a; e <= b; e += stride) {
                    double t = Math.pow(10, e);
                    if (t >= lo && t <= hi) {
                        out.add(t);
                    }
                }
                if (out.size() < 2) {
                    for (int e = a; e <= b; e++) {
                        for (int m : new int[] {2, 5}) {
                            double t = m * Math.pow(10, e);
                            if (t >= lo && t <= hi) {
                                out.add(t);
                            }
                        }
                    }
                }
                return out;
            }
            for (double t : ScatterPlot.ticks(lo, hi, 6)) {
                out.add(t);
            }
            return out;
        }
    }

    private static String label(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-2)) {
            int e = (int) Math.floor(Math.log10(a));
            double m = v / Math.pow(10, e);
            return Math.abs(m - 1) < 1e-9 ? "1e" + e : String.format(Locale.ROOT, "%.0fe%d", m, e);
        }
        if (a >= 10 || Math.abs(v - Math.rint(v)) < 1e-9) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }

    static void write(Path file, BufferedImage img) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
