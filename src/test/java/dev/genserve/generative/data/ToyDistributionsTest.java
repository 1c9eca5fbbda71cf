package dev.genserve.generative.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.generative.FloatMatrix;
import org.junit.jupiter.api.Test;

class ToyDistributionsTest {

    @Test
    void everyNameIsDeterministicWithTheRequestedShape() {
        assertThat(ToyDistributions.NAMES).containsExactlyInAnyOrder(
                "eight-gaussians", "moons", "circles", "checkerboard", "swiss-roll", "spirals", "gaussian",
                "pinwheel", "rings", "grid", "unequal-mixture");
        assertThat(ToyDistributions.NAMES).containsAll(ToyDistributions.HARD);
        for (String name : ToyDistributions.NAMES) {
            FloatMatrix a = ToyDistributions.byName(name, 257, 42);
            assertThat(a.rows()).as(name).isEqualTo(257);
            assertThat(a.cols()).as(name).isEqualTo(2);
            assertThat(ToyDistributions.byName(name, 257, 42)).as(name).isEqualTo(a);
            assertThat(ToyDistributions.byName(name, 257, 43)).as(name).isNotEqualTo(a);
            for (float v : a.data()) {
                assertThat(Float.isFinite(v)).as(name).isTrue();
            }
        }
        assertThat(ToyDistributions.standardGaussian(10, 784, 1).cols()).isEqualTo(784);
    }

    @Test
    void hardToysHaveTheirDocumentedStructure() {
        ToyDistributions.Labeled grid = ToyDistributions.grid(25_000, 5);
        int[] counts = new int[25];
        for (int i = 0; i < grid.points().rows(); i++) {
            float x = grid.points().get(i, 0);
            float y = grid.points().get(i, 1);
            int label = grid.labels()[i];
            // label 5(i+2) + (j+2) for the centre (i, j); std 0.05 -> within 0.3 of the centre (6 sd)
            assertThat(Math.abs(x - (label / 5 - 2))).isLessThan(0.3f);
            assertThat(Math.abs(y - (label % 5 - 2))).isLessThan(0.3f);
            counts[label]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(850, 1150); // 1000 each, sd ≈ 31
        }
        ToyDistributions.Labeled rings = ToyDistributions.rings(12_000, 6);
        int[] perRing = new int[3];
        for (int i = 0; i < rings.points().rows(); i++) {
            double r = Math.hypot(rings.points().get(i, 0), rings.points().get(i, 1));
            int k = rings.labels()[i];
            assertThat(Math.abs(r - 0.75 * (k + 1))).isLessThan(0.25); // 6 sd of the radial noise
            perRing[k]++;
        }
        // mass ∝ radius: 1/6, 2/6, 3/6 of 12000
        assertThat(perRing[0]).isBetween(1850, 2150);
        assertThat(perRing[1]).isBetween(3800, 4200);
        assertThat(perRing[2]).isBetween(5800, 6200);
        ToyDistributions.Labeled arms = ToyDistributions.pinwheel(5000, 7);
        int[] perArm = new int[5];
        for (int label : arms.labels()) {
            perArm[label]++;
        }
        for (int c : perArm) {
            assertThat(c).isBetween(880, 1120);
        }
        ToyDistributions.Labeled mix = ToyDistributions.mixtureLabeled(ToyDistributions.unequalMixture(), 20_000, 8);
        int[] perComponent = new int[5];
        for (int label : mix.labels()) {
            perComponent[label]++;
        }
        double[] weights = {0.45, 0.30, 0.15, 0.07, 0.03};
        for (int k = 0; k < 5; k++) {
            assertThat(perComponent[k] / 20_000.0).isBetween(weights[k] - 0.015, weights[k] + 0.015);
        }
        assertThat(ToyDistributions.numClasses("grid")).isEqualTo(25);
        assertThat(ToyDistributions.labeledOrEmpty("checkerboard", 10, 0)).isEmpty();
    }

    @Test
    void unknownNameListsValidOnes() {
        assertThatThrownBy(() -> ToyDistributions.byName("banana", 10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("banana")
                .hasMessageContaining(String.join(", ", ToyDistributions.NAMES));
    }

    @Test
    void eightGaussiansHaveEightRoughlyEqualClustersMatchingLabels() {
        int n = 8000;
        ToyDistributions.Labeled data = ToyDistributions.eightGaussiansLabeled(n, 7);
        int[] counts = new int[8];
        int mismatched = 0;
        for (int i = 0; i < n; i++) {
            int nearest = nearestCenter(data.points().get(i, 0), data.points().get(i, 1));
            // neighbouring centres are 1.53 apart (3.8 std to the midpoint): a handful may cross over
            mismatched += nearest == data.labels()[i] ? 0 : 1;
            counts[nearest]++;
        }
        assertThat(mismatched).isLessThan(10);
        for (int c : counts) {
            // expected 1000, binomial sd ~ 30
            assertThat(c).isBetween(880, 1120);
        }
    }

    @Test
    void moonsStayInTheirBoundingBox() {
        ToyDistributions.Labeled moons = ToyDistributions.twoMoonsLabeled(5000, 3, 0.05);
        int ones = 0;
        for (int i = 0; i < 5000; i++) {
            float x = moons.points().get(i, 0);
            float y = moons.points().get(i, 1);
            assertThat(x).isBetween(-1.3f, 2.3f);
            assertThat(y).isBetween(-0.8f, 1.3f);
            ones += moons.labels()[i];
            if (moons.labels()[i] == 0) {
                assertThat(y).isGreaterThan(-0.3f); // the upper arc has y = sin t ≥ 0
            }
        }
        assertThat(ones).isBetween(2300, 2700);
    }

    @Test
    void checkerboardUsesOnlyBlackCells() {
        FloatMatrix board = ToyDistributions.checkerboard(4000, 9);
        int[] cells = new int[16];
        for (int i = 0; i < board.rows(); i++) {
            int cx = (int) Math.floor(board.get(i, 0));
            int cy = (int) Math.floor(board.get(i, 1));
            assertThat(cx).isBetween(-2, 1);
            assertThat(cy).isBetween(-2, 1);
            assertThat(Math.floorMod(cx + cy, 2)).isZero();
            cells[(cx + 2) * 4 + cy + 2]++;
        }
        long used = java.util.Arrays.stream(cells).filter(c -> c > 0).count();
        assertThat(used).isEqualTo(8);
    }

    @Test
    void circlesHaveTwoRadii() {
        ToyDistributions.Labeled c = ToyDistributions.circlesLabeled(2000, 1, 0.0);
        for (int i = 0; i < 2000; i++) {
            double r = Math.hypot(c.points().get(i, 0), c.points().get(i, 1));
            assertThat(r).isCloseTo(c.labels()[i] == 0 ? 1.0 : 0.5, org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    static int nearestCenter(double x, double y) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 8; k++) {
            double[] c = ToyDistributions.eightGaussiansCenter(k);
            double d = Math.hypot(x - c[0], y - c[1]);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }
}
