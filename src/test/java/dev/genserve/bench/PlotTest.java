package dev.genserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.sampling.ScatterPlot;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotTest {

    @Test
    void scatterGridDrawsEveryCellWithAxesInItsRowsWindowAndColoursByClass(@TempDir Path dir) throws Exception {
        // 200 copies of (1, 1) labelled 1 in the first cell, unlabelled in the second; window [-2, 2]²
        float[] xy = new float[400];
        Arrays.fill(xy, 1f);
        FloatMatrix p = new FloatMatrix(xy, 200, 2);
        int[] ones = new int[200];
        Arrays.fill(ones, 1);
        Path file = dir.resolve("grid.png");
        Plot.scatterGrid(file, "t", new String[] {"row"}, new String[] {"a", "b"},
                new Plot.Scatter[][] {{new Plot.Scatter(p, ones), Plot.Scatter.of(p)}},
                new ScatterPlot.Window[] {new ScatterPlot.Window(-2, 2, -2, 2)});
        BufferedImage img = ImageIO.read(file.toFile());
        int cell = 230;
        int left = 124;
        int top = 52;
        int pw = cell - 40 - 6;
        int ph = cell - 20 - 6;
        int px = left + 40 + (int) Math.round(0.75 * pw);
        int py = top + 6 + (int) Math.round(0.25 * ph);
        assertThat(img.getWidth()).isEqualTo(left + 2 * cell + 10);
        assertNear(img.getRGB(px, py), ScatterPlot.PALETTE[1]);
        assertNear(img.getRGB(px + cell, py), ScatterPlot.PALETTE[0]);
        // the frame's left edge of the first panel is drawn
        assertThat(new Color(img.getRGB(left + 40, top + 6 + ph / 3)).getRed()).isLessThan(200);
        // the first wave's signature: square windows [-lim, lim]², one colour
        Path old = dir.resolve("old.png");
        Plot.scatterGrid(old, "t", new String[] {"row"}, new String[] {"a", "b"}, new FloatMatrix[][] {{p, null}}, 2);
        BufferedImage oldImg = ImageIO.read(old.toFile());
        assertNear(oldImg.getRGB(px, py), ScatterPlot.PALETTE[0]);
        assertThat(oldImg.getRGB(px + cell, py) & 0xffffff).as("empty cell").isEqualTo(0xffffff);
    }

    @Test
    void imageBlocksShowPixelsAsGreyLevels(@TempDir Path dir) throws Exception {
        float[] white = new float[784];
        Arrays.fill(white, 1f);
        float[] black = new float[784];
        Arrays.fill(black, -1f);
        FloatMatrix two = new FloatMatrix(concat(white, black), 2, 784);
        Path file = dir.resolve("blocks.png");
        Plot.imageBlocks(file, "t", new String[] {"x"}, new FloatMatrix[] {two}, 1, 2, 1);
        BufferedImage img = ImageIO.read(file.toFile());
        int tile = 28 + 2;
        assertThat(img.getRGB(16 + 1 + 14, 46 + 1 + 14) & 0xffffff).isEqualTo(0xffffff);
        assertThat(img.getRGB(16 + tile + 1 + 14, 46 + 1 + 14) & 0xffffff).isZero();
    }

    /** The pixel is the palette colour within a few levels (many overlapping translucent dots). */
    private static void assertNear(int rgb, Color expected) {
        Color c = new Color(rgb);
        assertThat(new int[] {c.getRed(), c.getGreen(), c.getBlue()}).as("pixel %06x vs %s", rgb & 0xffffff, expected)
                .satisfies(v -> {
                    assertThat(v[0]).isCloseTo(expected.getRed(), org.assertj.core.api.Assertions.within(12));
                    assertThat(v[1]).isCloseTo(expected.getGreen(), org.assertj.core.api.Assertions.within(12));
                    assertThat(v[2]).isCloseTo(expected.getBlue(), org.assertj.core.api.Assertions.within(12));
                });
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
