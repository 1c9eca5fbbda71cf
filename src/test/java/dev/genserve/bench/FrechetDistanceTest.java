package dev.genserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void matchesTheClosedFormForCommutingCovariancesAndIsZeroBetweenEqualFits() {
        // diagonal: FD = |Δμ|² + Σ (σ₁ − σ₂)² = 1 + (2 − 1)² + (3 − 3)² = 2
        FrechetDistance a = new FrechetDistance(new double[] {0, 0}, new double[][] {{4, 0}, {0, 9}});
        FrechetDistance b = new FrechetDistance(new double[] {1, 0}, new double[][] {{1, 0}, {0, 9}});
        assertThat(a.to(b)).isCloseTo(2.0, within(1e-9));
        assertThat(b.to(a)).isCloseTo(2.0, within(1e-9));
        // a full covariance against itself
        FrechetDistance c = new FrechetDistance(new double[] {1, 2}, new double[][] {{2, 0.9}, {0.9, 1}});
        assertThat(c.to(c)).isCloseTo(0.0, within(1e-9));
        // rotated covariances of equal spectra: Σ₁ = diag(4, 1), Σ₂ = diag(1, 4): Tr = 10, Σ₁^½Σ₂Σ₁^½ = diag(4, 4)
        // -> 10 − 2·(2 + 2) = 2
        FrechetDistance d = new FrechetDistance(new double[] {0, 0}, new double[][] {{4, 0}, {0, 1}});
        FrechetDistance e = new FrechetDistance(new double[] {0, 0}, new double[][] {{1, 0}, {0, 4}});
        assertThat(d.to(e)).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void fitsTheUnbiasedMeanAndCovariance() {
        FrechetDistance f = FrechetDistance.fit(new FloatMatrix(new float[] {0, 0, 2, 0, 0, 2, 2, 2}, 4, 2));
        assertThat(f.mean()).containsExactly(1.0, 1.0);
        assertThat(f.cov()[0]).containsExactly(4.0 / 3, 0.0);
        assertThat(f.cov()[1]).containsExactly(0.0, 4.0 / 3);
    }
}
