package dev.genserve.generative.density;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.sde.LinearSde;
import dev.genserve.generative.sde.ScoreFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * A Gaussian mixture pushed through a linear SDE: at time t it is again a mixture, with means m(t)μ_k and
 * covariances m(t)²Σ_k + s(t)²I, so its score is exact at every t. This is the ground truth the samplers are
 * tested against.
 */
public final class DiffusedMixture implements ScoreFunction {

    private final GaussianMixture data;
    private final LinearSde sde;

    public DiffusedMixture(GaussianMixture data, LinearSde sde) {
        this.data = data;
        this.sde = sde;
    }

    /** The marginal p_t as a mixture. */
    public GaussianMixture at(double t) {
        double m = sde.mean(t);
        double s = sde.std(t);
        int d = data.dimension();
        double[] w = new double[data.size()];
        List<GaussianDensity> comps = new ArrayList<>();
        for (int k = 0; k < data.size(); k++) {
            w[k] = data.weight(k);
            GaussianDensity c = data.component(k);
            double[] mu = c.mean();
            double[][] cov = c.covariance();
            for (int i = 0; i < d; i++) {
                mu[i] *= m;
                for (int j = 0; j < d; j++) {
                    cov[i][j] = m * m * cov[i][j] + (i == j ? s * s : 0);
                }
            }
            comps.add(new GaussianDensity(mu, cov));
        }
        return new GaussianMixture(w, comps);
    }

    public GaussianMixture data() {
        return data;
    }

    public LinearSde sde() {
        return sde;
    }

    @Override
    public NDArray score(NDArray x, double t) {
        return at(t).score(x, t);
    }
}
