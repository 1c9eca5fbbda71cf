package dev.genserve.processes;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleResult.Snapshot;
import dev.genserve.sampling.PngEncoder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws a trajectory (the snapshots of a forward simulation, or of a reverse sampling run) as a PNG strip: one
 * scatter panel per snapshot, left to right in the order given, wrapped after {@value #PER_ROW} panels, every panel
 * on the same square axes (ticks included) so that a person sees the cloud contract or form, labelled with its time.
 * The first two coordinates are drawn; data of higher dimension says so in the title.
 */
public final class SnapshotStripEncoder {

    static final int PANEL = 220;
    static final int PER_ROW = 6;
    private static final int MARGIN = 34;
    /** Horizontal space of one panel, ticks included; a strip of k ≤ 6 panels is k·PANEL_WIDTH + 10 wide. */
    public static final int PANEL_WIDTH = PANEL + MARGIN;
    private static final int TITLE = 26;
    private static final int MAX_POINTS = 4000;

    private SnapshotStripEncoder() {}

    /** Whether snapshots of this dimension can be drawn (at least two coordinates). */
    public static boolean supports(int dimension) {
        return dimension >= 2;
    }

    /** The strip as PNG bytes; {@code title} heads the image. */
    public static byte[] encode(List<Snapshot> snapshots, String title) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("there are no snapshots to draw");
        }
        int dimension = snapshots.get(0).points().cols();
        if (!supports(dimension)) {
            throw new IllegalArgumentException("a snapshot strip needs at least 2 coordinates, got " + dimension);
        }
        double limit = limit(snapshots);
        int cols = Math.min(PER_ROW, snapshots.size());
        int rows = (snapshots.size() + cols - 1) / cols;
        int cell = PANEL_WIDTH;
        BufferedImage image = new BufferedImage(cols * cell + 10, TITLE + rows * (cell + 14),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(dimension > 2 ? title + " (first two of " + dimension + " coordinates)" : title, 8, 18);
        for (int i = 0; i < snapshots.size(); i++) {
            int x0 = (i % cols) * cell + MARGIN;
            int y0 = TITLE + (i / cols) * (cell + 14) + 16;
            panel(g, snapshots.get(i), x0, y0, limit);
        }
        g.dispose();
        return PngEncoder.bytes(image);
    }

    /** The half-width of the common axes: the largest |coordinate| over all snapshots, with a 5 % margin. */
    static double limit(List<Snapshot> snapshots) {
        double max = 1e-6;
        for (Snapshot s : snapshots) {
            FloatMatrix p = s.points();
            for (int i = 0; i < p.rows(); i++) {
                for (int c = 0; c < 2; c++) {
                    double v = Math.abs(p.get(i, c));
                    if (Double.isFinite(v)) {
                        max = Math.max(max, v);
                    }
                }
            }
        }
        return max * 1.05;
    }

    private static void panel(Graphics2D g, Snapshot snapshot, int x0, int y0, double limit) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        String label = String.format(Locale.ROOT, "t = %.3g", snapshot.t());
        g.drawString(label, x0 + PANEL / 2 - g.getFontMetrics().stringWidth(label) / 2, y0 - 4);
        g.setColor(new Color(0x999999));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x0, y0, PANEL, PANEL);
        double tick = niceStep(limit);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        for (double v = -Math.floor(limit / tick) * tick; v <= limit + 1e-9; v += tick) {
            int px = (int) Math.round(x0 + (v + limit) / (2 * limit) * PANEL);
            int py = (int) Math.round(y0 + PANEL - (v + limit) / (2 * limit) * PANEL);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px, y0 + 1, px, y0 + PANEL - 1);
            g.drawLine(x0 + 1, py, x0 + PANEL - 1, py);
            g.setColor(Color.DARK_GRAY);
            String s = tickLabel(v);
            g.drawLine(px, y0 + PANEL, px, y0 + PANEL + 3);
            g.drawString(s, px - g.getFontMetrics().stringWidth(s) / 2, y0 + PANEL + 13);
            g.drawLine(x0 - 3, py, x0, py);
            g.drawString(s, x0 - 5 - g.getFontMetrics().stringWidth(s), py + 3);
        }
        FloatMatrix p = snapshot.points();
        int stride = Math.max(1, (p.rows() + MAX_POINTS - 1) / MAX_POINTS);
        g.setColor(new Color(31, 119, 180, 110));
        for (int i = 0; i < p.rows(); i += stride) {
            double px = x0 + (p.get(i, 0) + limit) / (2 * limit) * PANEL;
            double py = y0 + PANEL - (p.get(i, 1) + limit) / (2 * limit) * PANEL;
            if (px >= x0 && px <= x0 + PANEL && py >= y0 && py <= y0 + PANEL) {
                g.fill(new Ellipse2D.Double(px - 1.3, py - 1.3, 2.6, 2.6));
            }
        }
    }

    /** A round tick spacing giving about 2–5 ticks per half-axis. */
    static double niceStep(double limit) {
        double raw = limit / 2;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / power;
        return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
    }

    private static String tickLabel(double v) {
        if (Math.abs(v) < 1e-9) {
            return "0";
        }
        return Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.2g", v);
    }
}
