package dev.genserve.generative.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void fittedGaussianMatchesTheDataMeanAndCovariance() {
        FloatMatrix data = ToyDistributions.mixtureLabeled(ToyDistributions.unequalMixture(), 20_000, 1).points();
        FloatMatrix fit = Baselines.fittedGaussian(data, 40_000, 2);
        assertThat(Baselines.fittedGaussian(data, 40_000, 2)).isEqualTo(fit);
        double[][] a = moments(data);
        double[][] b = moments(fit);
        for (int j = 0; j < 2; j++) {
            assertThat(b[0][j]).isCloseTo(a[0][j], within(0.02));
            for (int k = 0; k < 2; k++) {
                assertThat(b[1 + j][k]).isCloseTo(a[1 + j][k], within(0.04));
            }
        }
    }

    /** Row 0: mean; rows 1..2: covariance. */
    private static double[][] moments(FloatMatrix x) {
        double[][] m = new double[3][2];
        for (int i = 0; i < x.rows(); i++) {
            m[0][0] += x.get(i, 0) / x.rows();
            m[0][1] += x.get(i, 1) / x.rows();
        }
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 2; k++) {
                    m[1 + j][k] += (x.get(i, j) - m[0][j]) * (x.get(i, k) - m[0][k]) / (x.rows() - 1);
                }
            }
        }
        return m;
    }

    @Test
    void blurredAddsNoiseOfTheRequestedScaleDeterministically() {
        FloatMatrix x = FloatMatrix.zeros(20000, 2);
        FloatMatrix b = Baselines.blurred(x, 0.5, 3);
        assertThat(Baselines.blurred(x, 0.5, 3)).isEqualTo(b);
        double sq = 0;
        for (float v : b.data()) {
            sq += v * v;
        }
        assertThat(Math.sqrt(sq / b.data().length)).isCloseTo(0.5, within(0.01));
    }

    @Test
    void dropLabelsKeepsSizeAndOnlyKeptModes() {
        ToyDistributions.Labeled data = ToyDistributions.eightGaussiansLabeled(4000, 1);
        FloatMatrix dropped = Baselines.dropLabels(data.points(), data.labels(), Set.of(0, 5), 2);
        assertThat(dropped.rows()).isEqualTo(4000);
        assertThat(dropped.cols()).isEqualTo(2);
        int[] counts = new int[8];
        for (int i = 0; i < dropped.rows(); i++) {
            counts[ToyDistributionsTest.nearestCenter(dropped.get(i, 0), dropped.get(i, 1))]++;
        }
        assertThat(counts[0]).isZero();
        assertThat(counts[5]).isZero();
        for (int k : new int[] {1, 2, 3, 4, 6, 7}) {
            assertThat(counts[k]).isBetween(550, 800); // expected 4000/6 ≈ 667
        }
        assertThat(Baselines.dropLabels(data.points(), data.labels(), Set.of(0, 5), 2)).isEqualTo(dropped);
        FloatMatrix viaHelper = Baselines.modeDropped(4000, 1, 0, 5);
        assertThat(viaHelper.rows()).isEqualTo(4000);
    }

    @Test
    void droppingEverythingIsAnError() {
        FloatMatrix x = FloatMatrix.zeros(3, 2);
        assertThatThrownBy(() -> Baselines.dropLabels(x, new int[] {1, 1, 1}, Set.of(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Baselines.dropLabels(x, new int[] {1, 1}, Set.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
