package dev.genserve.generative.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.ToyDistributions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityReportTest {

    private static FloatMatrix points(float... xy) {
        return new FloatMatrix(xy, xy.length / 2, 2);
    }

    @Test
    void nearestNeighbourAccuracyHasExactAnswersOnHandBuiltSets() {
        // far apart: every point's nearest neighbour is in its own set
        assertThat(NearestNeighbourAccuracy.compute(points(0, 0, 1, 0, 2, 0), points(10, 0, 11, 0, 12, 0)))
                .isEqualTo(1.0);
        // interleaved at odd/even positions 0..7 on a line, x at even: every nearest neighbour is of the other
        // set, except the two ends (0's only neighbour at distance 1 is 1; 7's is 6): all misclassified
        assertThat(NearestNeighbourAccuracy.compute(points(0, 0, 2, 0, 4, 0, 6, 0), points(1, 0, 3, 0, 5, 0, 7, 0)))
                .isEqualTo(0.0);
        // pairs: x = {0, 10}, y = {0.1, 10.1} -> each point's nearest is its partner of the other set
        assertThat(NearestNeighbourAccuracy.compute(points(0, 0, 10, 0), points(0.1f, 0, 10.1f, 0))).isEqualTo(0.0);
        // a tie counts half: x = {0, 4}, y = {2, 100}: x0 has x1 at 16 and y0 at 4 -> wrong; x1: y0 at 4 vs x0 at 16
        // -> wrong; y0: x0 and x1 both at 4 vs y1 at 9604 -> wrong; y1: nearest x1 (96²) vs y0 (98²) -> wrong
        assertThat(NearestNeighbourAccuracy.compute(points(0, 0, 4, 0), points(2, 0, 100, 0))).isEqualTo(0.0);
        assertThat(NearestNeighbourAccuracy.compute(points(0, 0, 2, 0), points(4, 0, 100, 0)))
                .as("x0: x1 at 4 (own); x1: x0 at 4 and y0 at 4 tie -> 1/2; y0: x1 at 4 vs y1 -> wrong; y1: y0 at 96² "
                        + "vs x1 at 98² -> right")
                .isEqualTo((1 + 0.5 + 0 + 1) / 4.0);
    }

    @Test
    void manifoldMetricsHaveExactAnswersOnAHandBuiltSet() {
        // data: 4 points on a unit square; k = 1 balls have radius 1. Samples: one on a data point, one far away.
        FloatMatrix y = points(0, 0, 1, 0, 0, 1, 1, 1);
        FloatMatrix x = points(0, 0, 50, 50, 50.5f, 50);
        ManifoldMetrics m = ManifoldMetrics.compute(PairwiseDistances.of(x, y), 1, 1);
        assertThat(m.precision()).isEqualTo(1.0 / 3);
        // generated k=1 radii: x0 -> 50.5..(far), so x0's ball has radius ~70 and holds every y
        assertThat(m.recall()).isEqualTo(1.0);
        // x0 lies in the balls of y0 (distance 0), y1 and y2 (distance 1) -> 3 hits / (k·m = 3)
        assertThat(m.density()).isEqualTo(1.0);
        // balls of y0, y1, y2 hold x0; y3's ball (radius 1) does not (distance √2)
        assertThat(m.coverage()).isEqualTo(0.75);
    }

    @Test
    void modeCoverageCountsMassPerLabelAndOffModeSamples() {
        FloatMatrix y = points(0, 0, 0.1f, 0, 10, 0, 10.1f, 0);
        int[] labels = {0, 0, 1, 1};
        FloatMatrix x = points(0.05f, 0, 0.02f, 0, 5, 0, 0.08f, 0);
        ModeCoverage c = ModeCoverage.compute(PairwiseDistances.of(x, y), labels, 2, 1);
        assertThat(c.mass()).containsExactly(0.75, 0.0);
        assertThat(c.expected()).containsExactly(0.5, 0.5);
        assertThat(c.covered()).isEqualTo(1);
        assertThat(c.offMode()).isEqualTo(0.25);
        assertThat(c.totalVariation()).isCloseTo(0.5 * (0.25 + 0.5 + 0.25), within(1e-12));
    }

    @Test
    void biasedMmdMatchesTheDirectFormulaAndIsNeverNegative() {
        FloatMatrix x = points(0, 0, 1, 0, 0, 2);
        FloatMatrix y = points(0.5f, 0.5f, 3, 1);
        double sigma = 0.7;
        double[] got = Mmd.biasedPerBandwidth(PairwiseDistances.of(x, y), new double[] {sigma});
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                kxx += k(x.row(i), x.row(j), sigma);
            }
            for (int j = 0; j < 2; j++) {
                kxy += k(x.row(i), y.row(j), sigma);
            }
        }
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                kyy += k(y.row(i), y.row(j), sigma);
            }
        }
        assertThat(got[0]).isCloseTo(kxx / 9 + kyy / 4 - 2 * kxy / 6, within(1e-6));
        assertThat(Mmd.biasedPerBandwidth(PairwiseDistances.of(x, x), new double[] {0.1, 1})).containsExactly(0, 0);
    }

    private static double k(float[] a, float[] b, double sigma) {
        double d2 = 0;
        for (int i = 0; i < a.length; i++) {
            d2 += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.exp(-d2 / (2 * sigma * sigma));
    }

    @Test
    void theFittedGaussianBaselineIsSeparableOnThePinwheelWhileHeldOutDataIsNot() {
        ToyDistributions.Labeled train = ToyDistributions.pinwheel(10_000, 1);
        ToyDistributions.Labeled heldOut = ToyDistributions.pinwheel(2000, 2);
        FloatMatrix blob = Baselines.fittedGaussian(train.points(), 2000, 3);
        QualityReport report = QualityReport.evaluate(blob, heldOut.points(), heldOut.labels(), 5, train.points(),
                QualitySettings.DEFAULT);
        QualityReport.Metric nn = report.metric("nn1_accuracy");
        // 2000 + 2000 points: the accuracy's sd at 0.5 is about 0.008
        assertThat(nn.value()).isGreaterThanOrEqualTo(0.7);
        assertThat(nn.floor()).isCloseTo(0.5, within(0.03));
        // the blob fills the space between the arms: few samples on the data manifold, half the data uncovered
        assertThat(report.metric("precision").value()).isLessThan(0.6);
        assertThat(report.metric("precision").floor()).isGreaterThan(0.9);
        assertThat(report.metric("coverage").value()).isLessThan(0.6);
        assertThat(report.metric("coverage").floor()).isGreaterThan(0.9);
        assertThat(report.metric("modes_covered").floor()).isEqualTo(5.0);
        // fine-bandwidth MMD sees it at ≫ its floor, while the coarse one barely moves in absolute terms
        assertThat(report.metric("mmd2_bw0.1").ratio()).isGreaterThan(10);
        assertThat(report.metric("mmd2_bw0.1").floor()).isGreaterThan(0);
    }

    @Test
    void onEveryHardToyTheBlobAndABlurScoreWorseThanHeldOutDataOnMetricsThatSeeStructure() {
        for (String name : ToyDistributions.HARD) {
            ToyDistributions.Labeled train = ToyDistributions.labeledOrEmpty(name, 6000, 11).orElseThrow();
            ToyDistributions.Labeled heldOut = ToyDistributions.labeledOrEmpty(name, 1500, 12).orElseThrow();
            int classes = ToyDistributions.numClasses(name);
            FloatMatrix blob = Baselines.fittedGaussian(train.points(), 1500, 13);
            FloatMatrix blur = Baselines.blurred(ToyDistributions.byName(name, 1500, 14), 0.15, 15);
            QualityReport b = QualityReport.evaluate(blob, heldOut.points(), heldOut.labels(), classes,
                    train.points(), QualitySettings.DEFAULT);
            QualityReport s = QualityReport.evaluate(blur, heldOut.points(), heldOut.labels(), classes,
                    train.points(), QualitySettings.DEFAULT);
            for (QualityReport r : new QualityReport[] {b, s}) {
                assertThat(r.metric("nn1_accuracy").value()).as(name).isGreaterThan(r.metric("nn1_accuracy").floor()
                        + 0.04);
                assertThat(r.metric("mmd2_bw0.1").ratio()).as(name).isGreaterThan(1.5);
                assertThat(r.metric("precision").value()).as(name).isLessThan(r.metric("precision").floor() - 0.1);
                assertThat(r.metric("off_mode_fraction").value()).as(name)
                        .isGreaterThan(r.metric("off_mode_fraction").floor() + 0.1);
            }
            assertThat(b.metric("nn1_accuracy").value()).as(name).isGreaterThan(0.75);
            assertThat(b.metric("coverage").value()).as(name).isLessThan(0.7);
        }
    }

    @Test
    void aModeDroppedCopyLosesCoverageRecallAndModes() {
        ToyDistributions.Labeled train = ToyDistributions.grid(8000, 21);
        ToyDistributions.Labeled heldOut = ToyDistributions.grid(2000, 22);
        java.util.Set<Integer> dropped = java.util.Set.of(0, 6, 12, 18, 24);
        FloatMatrix copy = Baselines.dropLabels(ToyDistributions.grid(2000, 23).points(),
                ToyDistributions.grid(2000, 23).labels(), dropped, 24);
        QualityReport r = QualityReport.evaluate(copy, heldOut.points(), heldOut.labels(), 25, train.points(),
                QualitySettings.DEFAULT);
        assertThat(r.metric("modes_covered").value()).isEqualTo(20.0);
        assertThat(r.metric("modes_covered").floor()).isEqualTo(25.0);
        assertThat(r.metric("recall").value()).isCloseTo(0.8 * r.metric("recall").floor(), within(0.05));
        assertThat(r.metric("coverage").value()).isCloseTo(0.8 * r.metric("coverage").floor(), within(0.05));
        // every kept sample is on a mode: precision stays at its floor
        assertThat(r.metric("precision").value()).isCloseTo(r.metric("precision").floor(), within(0.03));
    }

    @Test
    void theReportIsDeterministicBoundedAndSerialisesEveryMetricWithItsFloor() {
        FloatMatrix a = ToyDistributions.standardGaussian(3000, 784, 1);
        FloatMatrix b = ToyDistributions.standardGaussian(3000, 784, 2);
        FloatMatrix c = ToyDistributions.standardGaussian(3000, 784, 3);
        QualityReport r = QualityReport.evaluate(a, b, c);
        assertThat(r.points()).as("n ≤ √(maxWork/D) = 1142 at D = 784").isEqualTo(1142);
        assertThat(QualityReport.evaluate(a, b, c).summary()).isEqualTo(r.summary());
        Map<String, Object> map = r.toMap();
        assertThat(map).containsKeys("points", "seed", "bandwidths", "metrics");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> metrics = (Map<String, Map<String, Object>>) map.get("metrics");
        assertThat(metrics).containsKeys("nn1_accuracy", "mmd2_bw0.1", "mmd2_bw0.3", "mmd2_bw1", "precision",
                "recall", "density", "coverage", "sliced_w2", "energy_distance");
        assertThat(metrics.values()).allSatisfy(m -> assertThat(m).containsKeys("value", "floor", "ideal"));
        assertThat(metrics.get("mmd2_bw0.1")).containsKey("ratio");
        assertThat(QualitySettings.DEFAULT.points(2, 10_000)).isEqualTo(2000);
    }
}
