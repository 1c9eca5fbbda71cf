package dev.genserve.generative.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.generative.FloatMatrix;
import org.junit.jupiter.api.Test;

class ToyDistributionsTest {

    @Test
    void everyNameIsDeterministicWithTheRequestedShape() {
        assertThat(ToyDistributions.NAMES).containsExactlyInAnyOrder(
                "eight-gaussians", "moons", "circles", "checkerboard", "swiss-roll", "spirals", "gaussian");
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
