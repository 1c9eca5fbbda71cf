package dev.genserve.generative.attractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import java.util.List;
import org.junit.jupiter.api.Test;

class GaussianWindowsTest {

    private static final FloatMatrix CLOUD = Standardizer.fit(ToyDistributions.grid(256, 3).points())
            .forward(ToyDistributions.grid(256, 3).points());

    @Test
    void withoutAttractionEveryWindowIsTheExactOrnsteinUhlenbeckTransitionAndAtLeastRhoTLong() {
        ProcessParameters p = new ProcessParameters(0, 1.3, 0.7, 0.2, 3.0, 40, 2.0);
        try (NDManager manager = NDManager.newBaseManager()) {
            AttractorProcess process = new AttractorProcess(p);
            List<FloatMatrix> states = process.states(manager, CLOUD, 5);
            for (double rho : new double[] {0, 0.3, 0.5, 1}) {
                GaussianWindows windows = GaussianWindows.build(manager, states, p, process.sde().field(), rho);
                RandomSource random = new RandomSource(1);
                float[] mean = new float[2];
                for (int trial = 0; trial < 200; trial++) {
                    int i = random.nextInt(CLOUD.rows());
                    double t = p.grid().timeAtClock(1 - random.nextDouble());
                    int a = windows.anchorAt(t);
                    double tau = p.grid().time(a);
                    assertThat(t - tau).as("window at t = %s, rho = %s", t, rho).isGreaterThanOrEqualTo(rho * t - 1e-12);
                    double v = windows.transition(i, t, mean, 0);
                    double decay = Math.exp(-p.beta() * (t - tau));
                    double exact = p.lambda() / p.beta() * -Math.expm1(-2 * p.beta() * (t - tau));
                    assertThat(v).isCloseTo(exact, within(1e-6 + 1e-5 * exact));
                    for (int c = 0; c < 2; c++) {
                        assertThat((double) mean[c]).isCloseTo(decay * states.get(a).get(i, c), within(1e-5));
                    }
                }
            }
        }
        assertThat(GaussianWindows.anchors(p.grid(), 1.0)).containsOnly(0);
        int[] oneStep = GaussianWindows.anchors(p.grid(), 0.0);
        for (int k = 0; k < oneStep.length; k++) {
            assertThat(oneStep[k]).isEqualTo(k);
        }
        assertThatThrownBy(() -> GaussianWindows.anchors(p.grid(), 1.5)).hasMessageContaining("windowFraction");
    }

    /**
     * The linearised window against Monte Carlo of the frozen-field SDE (fine Euler–Maruyama sub-steps, F from the
     * simulated cloud of each grid step evaluated at the path): short windows must match in mean and variance.
     */
    @Test
    void withAttractionShortWindowsMatchMonteCarloOfTheFrozenFieldProcess() {
        ProcessParameters p = new ProcessParameters(1.0, 1.0, 1.0, 0.2, 4.0, 60, 2.0);
        try (NDManager manager = NDManager.newBaseManager()) {
            AttractorProcess process = new AttractorProcess(p);
            List<FloatMatrix> states = process.states(manager, CLOUD, 7);
            GaussianWindows windows = GaussianWindows.build(manager, states, p, process.sde().field(), 0.5);
            MeanFieldAttraction field = process.sde().field();
            TimeGrid grid = p.grid();
            int paths = 3000;
            for (int[] probe : new int[][] {{3, 9}, {40, 14}, {101, 30}}) {
                int i = probe[0];
                double t = 0.5 * (grid.time(probe[1]) + grid.time(probe[1] + 1));
                int a = windows.anchorAt(t);
                float[] mean = new float[2];
                double v = windows.transition(i, t, mean, 0);
                float[] x = new float[paths * 2];
                for (int r = 0; r < paths; r++) {
                    x[2 * r] = states.get(a).get(i, 0);
                    x[2 * r + 1] = states.get(a).get(i, 1);
                }
                RandomSource random = new RandomSource(11 + i);
                int substeps = 8;
                for (int j = a; grid.time(j) < t; j++) {
                    double end = Math.min(grid.time(j + 1), t);
                    double h = (end - grid.time(j)) / substeps;
                    FloatMatrix cloud = states.get(j);
                    for (int s = 0; s < substeps; s++) {
                        float[] f = field.fieldAndDivergenceAt(manager, x, paths, cloud.data(), cloud.rows(), 2).field();
                        for (int q = 0; q < x.length; q++) {
                            x[q] += (float) ((p.alpha() * f[q] - p.beta() * x[q]) * h
                                    + Math.sqrt(2 * p.lambda() * h) * random.nextGaussian());
                        }
                    }
                }
                double[] mc = new double[2];
                double var = 0;
                for (int r = 0; r < paths; r++) {
                    mc[0] += x[2 * r] / (double) paths;
                    mc[1] += x[2 * r + 1] / (double) paths;
                }
                for (int r = 0; r < paths; r++) {
                    var += (Math.pow(x[2 * r] - mc[0], 2) + Math.pow(x[2 * r + 1] - mc[1], 2)) / (2.0 * (paths - 1));
                }
                double ou = p.lambda() / p.beta() * -Math.expm1(-2 * p.beta() * (t - grid.time(a)));
                System.out.printf("window [%.4f, %.4f]: linearised var %.5f, Monte Carlo %.5f, OU %.5f; mean (%.4f,"
                        + " %.4f) vs (%.4f, %.4f)%n", grid.time(a), t, v, var, ou, mean[0], mean[1], mc[0], mc[1]);
                double se = 4 * Math.sqrt(var / paths);
                assertThat((double) mean[0]).isCloseTo(mc[0], within(se + 0.1 * Math.sqrt(var)));
                assertThat((double) mean[1]).isCloseTo(mc[1], within(se + 0.1 * Math.sqrt(var)));
                assertThat(v).isCloseTo(var, within(0.1 * var));
            }
        }
    }
}
