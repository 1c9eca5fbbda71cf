package dev.genserve.generative.sde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearSdeTest {

    private static final List<LinearSde> ALL = List.of(new VpSde(0.1, 20), new SubVpSde(0.1, 20),
            new VeSde(0.01, 5), new OrnsteinUhlenbeckSde(1.5, 0.7, 3.0, 1e-3), new BrownianSde(2.0, 1.0, 1e-4));

    /** The marginal moments of a linear SDE solve dm/dt = a m and d(s²)/dt = 2a s² + g². */
    @Test
    void closedFormMarginalsSolveTheMomentOdes() {
        for (LinearSde sde : ALL) {
            for (double t : new double[] {0.05, 0.3, 0.7, 0.95}) {
                double h = 1e-5;
                double dm = (sde.mean(t + h) - sde.mean(t - h)) / (2 * h);
                double s2 = sde.std(t) * sde.std(t);
                double ds2 = (Math.pow(sde.std(t + h), 2) - Math.pow(sde.std(t - h), 2)) / (2 * h);
                double a = sde.driftCoefficient(t);
                double g = sde.diffusion(t);
                assertThat(dm).as(sde.name() + " dm/dt at " + t).isCloseTo(a * sde.mean(t), within(1e-5));
                assertThat(ds2).as(sde.name() + " ds²/dt at " + t)
                        .isCloseTo(2 * a * s2 + g * g, within(1e-4 * (1 + g * g)));
            }
            assertThat(sde.mean(0)).isCloseTo(1.0, within(1e-12));
            assertThat(sde.std(0)).isCloseTo(0.0, within(1e-12));
        }
    }

    @Test
    void knownValues() {
        VpSde vp = new VpSde(0.1, 20);
        // ∫₀¹β = 0.1 + 0.5·19.9 = 10.05
        assertThat(vp.mean(1)).isCloseTo(Math.exp(-5.025), within(1e-12));
        assertThat(vp.std(1)).isCloseTo(Math.sqrt(1 - Math.exp(-10.05)), within(1e-12));
        assertThat(new SubVpSde(0.1, 20).std(1)).isCloseTo(1 - Math.exp(-10.05), within(1e-12));
        OrnsteinUhlenbeckSde ou = new OrnsteinUhlenbeckSde(2, 3, 1, 1e-3);
        assertThat(ou.std(0.5)).isCloseTo(Math.sqrt(9 * (1 - Math.exp(-2)) / 4), within(1e-12));
        assertThat(ou.mean(0.5)).isCloseTo(Math.exp(-1), within(1e-12));
        VeSde ve = new VeSde(0.01, 10);
        assertThat(ve.std(1)).isCloseTo(Math.sqrt(100 - 1e-4), within(1e-9));
        assertThat(ve.priorStd()).isEqualTo(10);
        // the data's own unit variance is part of the prior: √(σ²T + 1)
        assertThat(new BrownianSde(2, 4, 1e-3).priorStd()).isCloseTo(Math.sqrt(17), within(1e-12));
        assertThat(new BrownianSde(2, 4, 1e-3).std(1)).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void vpReachesBetaMaxAtItsHorizonWhateverTheHorizon() {
        VpSde unit = new VpSde(0.1, 20, 1.0, 1e-3);
        VpSde longer = new VpSde(0.1, 20, 4.0, 1e-3);
        assertThat(longer.beta(4.0)).isCloseTo(20, within(1e-12));
        assertThat(longer.beta(2.0)).isCloseTo(unit.beta(0.5), within(1e-12));
        // ∫₀ᵀβ = T(β_min + β_max)/2
        assertThat(longer.integratedBeta(4.0)).isCloseTo(4 * 10.05, within(1e-9));
        assertThat(longer.mean(4.0)).isCloseTo(Math.exp(-0.5 * 4 * 10.05), within(1e-15));
        // the Langevin corrector's α_i = 1 − β(t)dt for VP-type SDEs, 1 otherwise
        assertThat(unit.correctorStepScale(0.5, 0.01)).isCloseTo(1 - 10.05 * 0.01, within(1e-12));
        assertThat(new SubVpSde(0.1, 20).correctorStepScale(0.5, 0.01)).isCloseTo(1 - 10.05 * 0.01, within(1e-12));
        assertThat(new VeSde(0.01, 10).correctorStepScale(0.5, 0.01)).isEqualTo(1.0);
    }

    @Test
    void reverseDynamicsAreDerivedFromTheForwardSde() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            VpSde vp = new VpSde(0.1, 20);
            ai.djl.ndarray.NDArray x = m.create(new float[] {1f, -2f}, new ai.djl.ndarray.types.Shape(1, 2));
            ScoreFunction score = (y, t) -> y.mul(-3f); // s(x) = −3x
            double t = 0.4;
            double beta = vp.beta(t);
            float[] sde = vp.reverse(score, false).drift(x, t).toFloatArray();
            float[] flow = vp.reverse(score, true).drift(x, t).toFloatArray();
            // f − c g² s = −½βx + c·β·3x
            assertThat(sde[0]).isCloseTo((float) (-0.5 * beta + 3 * beta), within(1e-4f));
            assertThat(flow[1]).isCloseTo((float) (-2 * (-0.5 * beta + 1.5 * beta)), within(1e-4f));
            assertThat(vp.reverse(score, true).diffusion(t)).isZero();
            assertThat(vp.reverse(score, false).diffusion(t)).isEqualTo(vp.diffusion(t));
            // Song's discretisations: VP is the DDPM step, VE adds exactly the step's variance
            Sde.Discretization d = vp.discretize(x, t, 0.01);
            assertThat(d.noise()).isCloseTo(Math.sqrt(beta * 0.01), within(1e-12));
            assertThat(d.shift().toFloatArray()[0]).isCloseTo((float) (Math.sqrt(1 - beta * 0.01) - 1), within(1e-6f));
            VeSde ve = new VeSde(0.01, 10);
            assertThat(ve.discretize(x, 0.5, 0.1).noise()).isCloseTo(
                    Math.sqrt(ve.sigma(0.5) * ve.sigma(0.5) - ve.sigma(0.4) * ve.sigma(0.4)), within(1e-12));
            // reverse discretisation: F − G² s, and no noise for the probability flow
            Sde.Discretization r = vp.reverse(score, false).discretize(x, t, 0.01);
            assertThat(r.shift().toFloatArray()[0]).isCloseTo(
                    (float) ((Math.sqrt(1 - beta * 0.01) - 1) + beta * 0.01 * 3), within(1e-6f));
            assertThat(vp.reverse(score, true).discretize(x, t, 0.01).noise()).isZero();
        }
    }

    @Test
    void priorLogDensityIsTheIsotropicGaussian() {
        VeSde ve = new VeSde(0.01, 2);
        double expected = -0.5 * (1 + 4) / 4 - 2 * (Math.log(2) + 0.5 * Math.log(2 * Math.PI));
        assertThat(ve.priorLogDensity(new float[] {1, 2})).isCloseTo(expected, within(1e-9));
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> new VpSde(-1, 20)).hasMessageContaining("betaMin");
        assertThatThrownBy(() -> new VeSde(1, 0.5)).hasMessageContaining("sigmaMax");
        assertThatThrownBy(() -> new OrnsteinUhlenbeckSde(0, 1, 1, 1e-3)).hasMessageContaining("theta");
        assertThatThrownBy(() -> new BrownianSde(1, 1, 2)).hasMessageContaining("eps");
    }
}
