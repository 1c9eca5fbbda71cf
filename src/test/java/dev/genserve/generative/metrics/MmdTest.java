package dev.genserve.generative.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.ToyDistributions;
import org.junit.jupiter.api.Test;

class MmdTest {

    static FloatMatrix shifted(FloatMatrix x, double shift) {
        float[] out = x.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) shift;
        }
        return new FloatMatrix(out, x.rows(), x.cols());
    }

    @Test
    void sameGaussianIsNearZeroShiftedIsClearlyLarger() {
        FloatMatrix a = ToyDistributions.standardGaussian(1000, 2, 1);
        FloatMatrix b = ToyDistributions.standardGaussian(1000, 2, 2);
        FloatMatrix c = shifted(ToyDistributions.standardGaussian(1000, 2, 3), 0.5);
        double same = Mmd.mmd2(a, b);
        double diff = Mmd.mmd2(a, c);
        assertThat(Math.abs(same)).isLessThan(0.005);
        assertThat(diff).isGreaterThan(0.05).isGreaterThan(20 * Math.abs(same));
    }

    @Test
    void symmetric() {
        FloatMatrix a = ToyDistributions.twoMoons(300, 1, 0.05);
        FloatMatrix b = ToyDistributions.circles(500, 2, 0.05);
        assertThat(Mmd.mmd2(a, b)).isCloseTo(Mmd.mmd2(b, a), within(1e-9));
        Mmd fixed = Mmd.fixedBandwidths(0.3, 1.0);
        assertThat(fixed.compute(a, b)).isCloseTo(fixed.compute(b, a), within(1e-9));
    }

    @Test
    void matchesHandComputedValueWithFixedBandwidth() {
        FloatMatrix x = FloatMatrix.of(new float[][] {{0}, {1}});
        FloatMatrix y = FloatMatrix.of(new float[][] {{0}, {3}});
        // k(a,b) = exp(-(a-b)^2 / 2) with sigma = 1
        double kxx = Math.exp(-0.5);
        double kyy = Math.exp(-4.5);
        double kxy = (1 + Math.exp(-4.5) + Math.exp(-0.5) + Math.exp(-2.0)) / 4;
        assertThat(Mmd.fixedBandwidths(1.0).compute(x, y)).isCloseTo(kxx + kyy - 2 * kxy, within(1e-12));
    }

    @Test
    void medianHeuristicBandwidths() {
        // pooled {0, 1, 2, 3}: pairwise distances 1,1,1,2,2,3 -> median 1.5
        FloatMatrix x = FloatMatrix.of(new float[][] {{0}, {2}});
        FloatMatrix y = FloatMatrix.of(new float[][] {{1}, {3}});
        assertThat(Mmd.medianHeuristic(0.5, 1, 2).bandwidths(x, y)).containsExactly(0.75, 1.5, 3.0);
    }

    @Test
    void modeDroppedEightGaussiansHasLargerMmdThanIndependentDraws() {
        FloatMatrix reference = ToyDistributions.eightGaussians(1000, 10);
        FloatMatrix independent = ToyDistributions.eightGaussians(1000, 11);
        FloatMatrix dropped = Baselines.modeDropped(1000, 12, 0, 3);
        double good = Mmd.mmd2(independent, reference);
        double bad = Mmd.mmd2(dropped, reference);
        assertThat(Math.abs(good)).isLessThan(0.005);
        assertThat(bad).isGreaterThan(0.02).isGreaterThan(10 * Math.abs(good));
    }

    @Test
    void rejectsTooFewRowsAndBadBandwidths() {
        FloatMatrix one = FloatMatrix.of(new float[][] {{0}});
        FloatMatrix two = FloatMatrix.of(new float[][] {{0}, {1}});
        assertThatThrownBy(() -> Mmd.mmd2(one, two)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mmd.fixedBandwidths(0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mmd.mmd2(two, FloatMatrix.zeros(2, 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
