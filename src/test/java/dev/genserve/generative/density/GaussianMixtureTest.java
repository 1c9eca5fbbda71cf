package dev.genserve.generative.density;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.sde.VpSde;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {

    private static final GaussianMixture MIX = new GaussianMixture(new double[] {0.7, 0.3}, java.util.List.of(
            new GaussianDensity(new double[] {0, 1}, new double[][] {{1, 0.3}, {0.3, 0.5}}),
            GaussianDensity.isotropic(new double[] {2, -1}, 0.4)));

    @Test
    void scoreIsTheGradientOfLogProb() {
        float[][] points = {{0.1f, 0.2f}, {1.5f, -0.7f}, {-1f, 2f}};
        for (float[] p : points) {
            float[] s = MIX.score(p, 1);
            for (int j = 0; j < 2; j++) {
                float h = 1e-3f;
                float[] plus = p.clone();
                float[] minus = p.clone();
                plus[j] += h;
                minus[j] -= h;
                double fd = (MIX.logProb(plus) - MIX.logProb(minus)) / (2 * h);
                assertThat((double) s[j]).isCloseTo(fd, within(2e-3));
            }
        }
    }

    @Test
    void singleGaussianLogProbIsExact() {
        GaussianDensity g = GaussianDensity.isotropic(new double[] {1, 2}, 2);
        double expected = -0.5 * (1 + 4) / 4 - Math.log(2 * Math.PI * 4);
        assertThat(g.logProb(new float[] {2, 4}, 0)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void samplesHaveTheMixtureMoments() {
        FloatMatrix x = MIX.sample(20000, new RandomSource(3));
        double[] mean = new double[2];
        for (int i = 0; i < x.rows(); i++) {
            mean[0] += x.get(i, 0) / x.rows();
            mean[1] += x.get(i, 1) / x.rows();
        }
        assertThat(mean[0]).isCloseTo(MIX.mean()[0], within(0.03));
        assertThat(mean[1]).isCloseTo(MIX.mean()[1], within(0.03));
        assertThat(MIX.mean()[0]).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void diffusedMixtureHasScaledMeansAndInflatedCovariance() {
        VpSde vp = new VpSde(0.1, 20);
        GaussianMixture at = new DiffusedMixture(MIX, vp).at(0.4);
        double m = vp.mean(0.4);
        double s = vp.std(0.4);
        assertThat(at.component(1).mean()[0]).isCloseTo(2 * m, within(1e-12));
        assertThat(at.component(0).covariance()[0][0]).isCloseTo(m * m + s * s, within(1e-12));
        assertThat(at.component(0).covariance()[0][1]).isCloseTo(0.3 * m * m, within(1e-12));
        assertThat(new DiffusedMixture(MIX, vp).at(1).covariance()[1][1]).isCloseTo(1, within(1e-3));
    }
}
