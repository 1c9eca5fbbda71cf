package dev.genserve.generative.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.ToyDistributions;
import org.junit.jupiter.api.Test;

class SlicedWassersteinTest {

    static FloatMatrix shifted(FloatMatrix x, double[] mu) {
        float[] out = x.data().clone();
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                out[i * x.cols() + j] += (float) mu[j];
            }
        }
        return new FloatMatrix(out, x.rows(), x.cols());
    }

    @Test
    void shiftedGaussianIn2dGivesNormOverSqrt2() {
        // projection onto theta shifts by mu.theta, so SW2^2 = E[(mu.theta)^2] = |mu|^2 / 2 in 2-D
        double[] mu = {2.0, 1.0};
        FloatMatrix x = ToyDistributions.standardGaussian(4000, 2, 1);
        FloatMatrix y = shifted(ToyDistributions.standardGaussian(4000, 2, 2), mu);
        double expected = Math.sqrt(5.0 / 2.0);
        assertThat(new SlicedWasserstein(2000, 7).compute(x, y)).isCloseTo(expected, within(0.03 * expected));
        assertThat(SlicedWasserstein.sw2(x, y)).isCloseTo(expected, within(0.08 * expected));
    }

    @Test
    void exactOneDimensionalQuantileMatchingForUnequalSizes() {
        // quantile functions of {0,1} and {0,1,2} differ by 1 on (1/3,1/2] and (2/3,1]: W2^2 = 1/6 + 1/3
        assertThat(SlicedWasserstein.w2Squared1d(new float[] {0, 1}, new float[] {0, 1, 2})).isCloseTo(0.5, within(1e-12));
        assertThat(SlicedWasserstein.w2Squared1d(new float[] {0, 1, 2}, new float[] {0, 1})).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void duplicatedSetHasZeroDistanceAndPointMassesGiveTheirDistance() {
        FloatMatrix x = ToyDistributions.twoMoons(300, 3, 0.05);
        float[] twice = new float[2 * x.data().length];
        System.arraycopy(x.data(), 0, twice, 0, x.data().length);
        System.arraycopy(x.data(), 0, twice, x.data().length, x.data().length);
        assertThat(SlicedWasserstein.sw2(x, new FloatMatrix(twice, 600, 2))).isCloseTo(0.0, within(1e-6));

        // 1-D: the only direction is ±1, so SW2 is exactly the shift
        FloatMatrix a = FloatMatrix.zeros(4, 1);
        FloatMatrix b = FloatMatrix.of(new float[][] {{2.5f}, {2.5f}, {2.5f}});
        assertThat(SlicedWasserstein.sw2(a, b)).isCloseTo(2.5, within(1e-6));
    }

    @Test
    void deterministicForAFixedSeed() {
        FloatMatrix x = ToyDistributions.standardGaussian(500, 10, 1);
        FloatMatrix y = ToyDistributions.standardGaussian(700, 10, 2);
        assertThat(SlicedWasserstein.sw2(x, y)).isEqualTo(SlicedWasserstein.sw2(x, y));
        assertThat(new SlicedWasserstein(64, 3).compute(x, y)).isEqualTo(new SlicedWasserstein(64, 3).compute(x, y));
    }
}
