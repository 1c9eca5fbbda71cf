package dev.genserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.drifting.DriftingConfig;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.train.TrainingContext;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngEncoderTest {

    @Test
    void ticksAreNiceStepsInsideTheRangeAndLabelsHaveTheDecimalsTheStepNeeds() {
        assertThat(ScatterPlot.ticks(-2.2, 2.2, 6)).containsExactly(-2, -1, 0, 1, 2);
        assertThat(ScatterPlot.ticks(0, 1, 5)).containsExactly(0, 0.2, 0.4, 0.6000000000000001, 0.8, 1);
        assertThat(ScatterPlot.ticks(-0.13, 0.13, 4)).containsExactly(-0.1, 0, 0.1);
        assertThat(ScatterPlot.ticks(-0.13, 0.13, 6)).containsExactly(-0.1, -0.05, 0, 0.05, 0.1);
        assertThat(ScatterPlot.ticks(990, 1010, 4)).containsExactly(990, 995, 1000, 1005, 1010);
        double[] t = ScatterPlot.ticks(0, 1, 5);
        assertThat(Arrays.stream(t).mapToObj(v -> ScatterPlot.tickLabel(v, t)))
                .containsExactly("0", "0.2", "0.4", "0.6", "0.8", "1.0");
        double[] fine = ScatterPlot.ticks(-0.13, 0.13, 6);
        assertThat(ScatterPlot.tickLabel(-0.05, fine)).isEqualTo("-0.05");
        assertThat(ScatterPlot.tickLabel(0, fine)).isEqualTo("0");
    }

    @Test
    void scatterHasAFrameWithTickMarksAndColoursPointsByClass() throws IOException {
        // two tight clusters: class 0 at (-1, -1), class 1 at (1, 1); the window is square around both
        int n = 400;
        float[] xy = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float c = i % 2 == 0 ? -1f : 1f;
            xy[2 * i] = c;
            xy[2 * i + 1] = c;
            labels[i] = i % 2;
        }
        FloatMatrix points = new FloatMatrix(xy, n, 2);
        BufferedImage coloured = decode(PngEncoder.encode(points, new int[] {2}, labels));
        BufferedImage plain = decode(PngEncoder.encode(points, new int[] {2}));
        assertThat(plain.getWidth()).isEqualTo(640);
        assertThat(coloured.getWidth()).as("a legend strip beside the square panel").isGreaterThan(640);
        assertThat(coloured.getHeight()).isEqualTo(640);

        ScatterPlot.Window w = ScatterPlot.Window.around(points);
        assertThat(w.xMin()).isCloseTo(-1.1, org.assertj.core.api.Assertions.within(1e-6));
        int pw = 640 - ScatterPlot.LEFT - 6;
        int ph = 640 - ScatterPlot.BOTTOM - 6;
        int[] at0 = pixel(-1, -1, w, pw, ph);
        int[] at1 = pixel(1, 1, w, pw, ph);
        assertThat(nearest(coloured.getRGB(at0[0], at0[1]))).isEqualTo(0);
        assertThat(nearest(coloured.getRGB(at1[0], at1[1]))).isEqualTo(1);
        assertThat(nearest(plain.getRGB(at1[0], at1[1]))).as("unlabelled points use one colour").isEqualTo(0);
        // the frame's bottom edge and a tick mark below it at x = 0
        int[] origin = pixel(0, w.yMin(), w, pw, ph);
        assertThat(grey(coloured.getRGB(origin[0], origin[1]))).isLessThan(200);
        assertThat(grey(coloured.getRGB(origin[0], origin[1] + 2))).as("tick mark").isLessThan(160);
        assertThat(grey(coloured.getRGB(origin[0] + 9, origin[1] + 2))).as("beside the tick").isEqualTo(255);
    }

    @Test
    void classConditionalSamplesCarryTheirClassesToThePicture() throws IOException {
        ToyDistributions.Labeled labelled = ToyDistributions.eightGaussiansLabeled(2000, 1);
        TrainingData data = new TrainingData(labelled.points(), labelled.labels(), 8, null);
        DriftingFamily family = new DriftingFamily();
        DriftingConfig config = family.resolve(DriftingConfig.defaults().withSteps(5).withNetwork(32, 2)
                .withBatch(64, 64), data);
        try (var g = family.train(data, config, TrainingContext.simple())) {
            assertThat(g.sample(SampleSpec.of(10, 1)).labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 0, 1);
            int[] three = g.sample(SampleSpec.of(6, 1).withClass(3, null)).labels();
            assertThat(three).containsOnly(3).hasSize(6);
        }
        try (var g = family.train(TrainingData.of(labelled.points()),
                family.resolve(DriftingConfig.defaults().withSteps(2).withNetwork(16, 2).withBatch(32, 32),
                        TrainingData.of(labelled.points())), TrainingContext.simple())) {
            assertThat(g.sample(SampleSpec.of(4, 1)).labels()).as("unconditional: no classes").isNull();
        }
    }

    private static int[] pixel(double x, double y, ScatterPlot.Window w, int pw, int ph) {
        int px = (int) Math.round(ScatterPlot.LEFT + (x - w.xMin()) / (w.xMax() - w.xMin()) * pw);
        int py = (int) Math.round(6 + ph - (y - w.yMin()) / (w.yMax() - w.yMin()) * ph);
        return new int[] {px, py};
    }

    /** The palette index nearest to an opaque pixel colour. */
    private static int nearest(int rgb) {
        Color c = new Color(rgb);
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < ScatterPlot.PALETTE.length; k++) {
            Color p = ScatterPlot.PALETTE[k];
            double d = Math.pow(c.getRed() - p.getRed(), 2) + Math.pow(c.getGreen() - p.getGreen(), 2)
                    + Math.pow(c.getBlue() - p.getBlue(), 2);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        assertThat(bestD).as("pixel %06x is a palette colour", rgb & 0xffffff).isLessThan(40 * 40);
        return best;
    }

    private static int grey(int rgb) {
        Color c = new Color(rgb);
        return (c.getRed() + c.getGreen() + c.getBlue()) / 3;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
