package dev.genserve.generative.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.ToyDistributions;
import org.junit.jupiter.api.Test;

class EnergyDistanceTest {

    @Test
    void twoPointMassesGiveTheirDistance() {
        // E|X-Y| = 3, both within-sample terms are 0
        FloatMatrix x = FloatMatrix.zeros(5, 2);
        FloatMatrix y = FloatMatrix.of(new float[][] {{3, 0}, {3, 0}, {3, 0}});
        assertThat(EnergyDistance.compute(x, y)).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void shiftedNormalsMatchClosedForm() {
        double mu = 1.0;
        // X-Y ~ N(mu, 2) and X-X' ~ N(0, 2); for Z ~ N(m, s^2): E|Z| = s sqrt(2/pi) exp(-m^2/(2 s^2)) + m (1 - 2 Phi(-m/s))
        double s = Math.sqrt(2);
        double exy = s * Math.sqrt(2 / Math.PI) * Math.exp(-mu * mu / (2 * s * s)) + mu * (1 - 2 * phi(-mu / s));
        double exx = s * Math.sqrt(2 / Math.PI);
        double expected = exy - exx; // = 0.2707...
        FloatMatrix x = ToyDistributions.standardGaussian(2000, 1, 5);
        FloatMatrix y = MmdTest.shifted(ToyDistributions.standardGaussian(2000, 1, 6), mu);
        assertThat(expected).isCloseTo(0.2707, within(1e-3));
        assertThat(EnergyDistance.compute(x, y)).isCloseTo(expected, within(0.03));
    }

    @Test
    void sameDistributionIsNearZeroAndSymmetric() {
        FloatMatrix a = ToyDistributions.spirals(800, 1);
        FloatMatrix b = ToyDistributions.spirals(600, 2);
        double ab = EnergyDistance.compute(a, b);
        assertThat(Math.abs(ab)).isLessThan(0.02);
        assertThat(EnergyDistance.compute(b, a)).isCloseTo(ab, within(1e-9));
        double other = EnergyDistance.compute(a, ToyDistributions.circles(600, 3, 0.05));
        assertThat(other).isGreaterThan(0.1).isGreaterThan(10 * Math.abs(ab));
    }

    /** Standard normal CDF via Abramowitz-Stegun 7.1.26 erf (|error| < 1.5e-7). */
    static double phi(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
