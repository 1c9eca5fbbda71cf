package dev.genserve.sampling;

import dev.genserve.generative.FloatMatrix;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * 2-D scatter panels with a frame, ticks and tick labels on both axes, and points coloured by class when labels are
 * given (a fixed ten-colour palette, class k in colour k mod 10). Used by the sample endpoint's PNG
 * ({@link PngEncoder}) and by the benchmark's pictures, so both read the same way.
 */
public final class ScatterPlot {

    /** Colours of classes 0..9 (matplotlib's tab10); unlabelled points use the first. */
    public static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0x17becf), new Color(0xbcbd22)};

    /** Pixels reserved inside a panel for the y tick labels (left) and the x tick labels (bottom). */
    static final int LEFT = 40;
    static final int BOTTOM = 20;
    private static final int PAD = 6;
    private static final int LEGEND_WIDTH = 130;
    private static final Color FRAME = new Color(0x888888);
    private static final Color GRID = new Color(0xeeeeee);

    private ScatterPlot() {}

    /** The data window of a panel. */
    public record Window(double xMin, double xMax, double yMin, double yMax) {

        /**
         * A square window (equal spans, so shapes are not distorted) around the bounding box of every finite
         * point of the sets, with a 5 % margin; [−1, 1]² when there is none.
         */
        public static Window around(FloatMatrix... sets) {
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            for (FloatMatrix m : sets) {
                if (m == null) {
                    continue;
                }
                for (int i = 0; i < m.rows(); i++) {
                    float x = m.get(i, 0);
                    float y = m.get(i, 1);
                    if (Float.isFinite(x) && Float.isFinite(y)) {
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            if (!(minX <= maxX)) {
                return new Window(-1, 1, -1, 1);
            }
            double half = Math.max(Math.max(maxX - minX, maxY - minY), 1e-9) * 0.55;
            double cx = (minX + maxX) / 2;
            double cy = (minY + maxY) / 2;
            return new Window(cx - half, cx + half, cy - half, cy + half);
        }
    }

    /**
     * Draws one panel into the rectangle (x, y, width, height) of {@code g}: the frame with light grid lines at the
     * ticks, tick labels left and below, and the points (clipped to the window), coloured by {@code labels} when
     * not null.
     *
     * @param alpha opacity of a point, 0..255
     */
    public static void draw(Graphics2D g, int x, int y, int width, int height, FloatMatrix points, int[] labels,
            Window window, double dotDiameter, int alpha) {
        if (labels != null && labels.length != points.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + points.rows() + " points");
        }
        Graphics2D g2 = (Graphics2D) g.create();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        FontMetrics fm = g2.getFontMetrics();
        int px0 = x + LEFT;
        int py0 = y + PAD;
        int pw = Math.max(1, width - LEFT - PAD);
        int ph = Math.max(1, height - BOTTOM - PAD);
        double[] xt = ticks(window.xMin(), window.xMax(), pw >= 200 ? 6 : 4);
        double[] yt = ticks(window.yMin(), window.yMax(), ph >= 200 ? 6 : 4);
        for (double t : xt) {
            int px = (int) Math.round(px0 + (t - window.xMin()) / (window.xMax() - window.xMin()) * pw);
            g2.setColor(GRID);
            g2.drawLine(px, py0 + 1, px, py0 + ph - 1);
            g2.setColor(Color.DARK_GRAY);
            g2.drawLine(px, py0 + ph, px, py0 + ph + 3);
            String s = tickLabel(t, xt);
            g2.drawString(s, px - fm.stringWidth(s) / 2, py0 + ph + 4 + fm.getAscent());
        }
        for (double t : yt) {
            int py = (int) Math.round(py0 + ph - (t - window.yMin()) / (window.yMax() - window.yMin()) * ph);
            g2.setColor(GRID);
            g2.drawLine(px0 + 1, py, px0 + pw - 1, py);
            g2.setColor(Color.DARK_GRAY);
            g2.drawLine(px0 - 3, py, px0, py);
            String s = tickLabel(t, yt);
            g2.drawString(s, px0 - 5 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g2.setColor(FRAME);
        g2.drawRect(px0, py0, pw, ph);
        g2.clipRect(px0 + 1, py0 + 1, pw - 1, ph - 1);
        Color[] colours = new Color[PALETTE.length];
        for (int k = 0; k < colours.length; k++) {
            Color c = PALETTE[k];
            colours[k] = new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.max(0, Math.min(255, alpha)));
        }
        double r = dotDiameter / 2;
        for (int i = 0; i < points.rows(); i++) {
            float vx = points.get(i, 0);
            float vy = points.get(i, 1);
            if (!Float.isFinite(vx) || !Float.isFinite(vy)) {
                continue;
            }
            double px = px0 + (vx - window.xMin()) / (window.xMax() - window.xMin()) * pw;
            double py = py0 + ph - (vy - window.yMin()) / (window.yMax() - window.yMin()) * ph;
            g2.setColor(colours[labels == null ? 0 : Math.floorMod(labels[i], colours.length)]);
            Shape dot = new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r);
            g2.fill(dot);
        }
        g2.dispose();
    }

    /**
     * A standalone scatter image: a square panel of {@code size} pixels and, when {@code labels} is not null, a
     * legend strip to its right listing the classes present ("class k", at most ten entries).
     */
    public static BufferedImage image(FloatMatrix points, int[] labels, int size) {
        int width = labels == null ? size : size + LEGEND_WIDTH;
        BufferedImage image = new BufferedImage(width, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, size);
        draw(g, 0, 0, size, size, points, labels, Window.around(points), size >= 400 ? 4 : 2.5, 110);
        if (labels != null) {
            legend(g, labels, size, PAD);
        }
        g.dispose();
        return image;
    }

    /** "● class k" lines from (left, top) down. */
    private static void legend(Graphics2D g, int[] labels, int left, int top) {
        TreeSet<Integer> present = new TreeSet<>();
        for (int label : labels) {
            present.add(label);
        }
        List<Integer> shown = new ArrayList<>(present).subList(0, Math.min(present.size(), PALETTE.length));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < shown.size(); i++) {
            int k = shown.get(i);
            int baseline = top + (i + 1) * fm.getHeight();
            g.setColor(PALETTE[Math.floorMod(k, PALETTE.length)]);
            g.fillOval(left + 4, baseline - fm.getAscent() / 2 - 4, 8, 8);
            g.setColor(Color.BLACK);
            g.drawString(legendText(k, shown, present), left + 16, baseline);
        }
    }

    private static String legendText(int k, List<Integer> shown, TreeSet<Integer> present) {
        boolean truncated = present.size() > shown.size() && k == shown.get(shown.size() - 1);
        return "class " + k + (truncated ? " (+" + (present.size() - shown.size()) + " more)" : "");
    }

    /**
     * Ticks at multiples of a "nice" step (1, 2 or 5 × 10^k) inside [lo, hi], about {@code target} of them (at
     * least two for any non-empty range).
     */
    public static double[] ticks(double lo, double hi, int target) {
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            return new double[] {lo};
        }
        double raw = (hi - lo) / Math.max(1, target);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) {
            step = m * magnitude;
            if (step >= raw) {
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
            out.add(k * step);
        }
        if (out.size() < 2) {
            return new double[] {lo, hi};
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * A tick value with as many decimals as the tick spacing needs ("-2", "0.5", "0.05"; two significant digits
     * beyond 10⁵).
     */
    public static String tickLabel(double value, double[] ticks) {
        double step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(value);
        if (Math.abs(value) < 1e-12 * Math.max(step, 1e-300)) {
            return "0";
        }
        if (Math.abs(value) >= 1e5 || (step > 0 && step < 1e-4)) {
            return String.format(Locale.ROOT, "%.2g", value);
        }
        int decimals = step >= 1 || step == 0 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
