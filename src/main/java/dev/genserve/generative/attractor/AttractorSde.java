package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.sde.Sde;

/**
 * The attractor's forward process as an {@link Sde}, the one definition that training (the simulated clouds),
 * {@code POST /processes/simulate} and sampling (through {@link Sde#reverse}) share:
 * <pre>
 * f(x, t) = α F_x(x) − β x,    g = √(2λ),    p_T = N(m, Σ) fitted to simulated end states
 * </pre>
 * The mean field F_x is estimated over the batch x itself, each row excluded from its own average: the batch is the
 * particle cloud, so a forward step moves the cloud under its own attraction, and a reverse step with the score
 * ({@code f − g²s}, or {@code f − ½g²s} for the probability flow) estimates F_{p_t} from the reverse cloud, whose
 * marginals are the forward ones. The prior is absent for a process that is only simulated.
 */
public final class AttractorSde implements Sde {

    private final ProcessParameters params;
    private final int tile;
    private final MeanFieldAttraction field;
    private final GaussianPrior prior;

    /**
     * @param params α, β, λ, δ, T (and the simulation grid)
     * @param tile query rows per tile of the field computation
     * @param prior the fitted prior at T, or null for forward simulation only
     */
    public AttractorSde(ProcessParameters params, int tile, GaussianPrior prior) {
        this.params = params;
        this.tile = tile;
        this.field = new MeanFieldAttraction(params.delta(), tile);
        this.prior = prior;
    }

    /** A forward-only process (no prior) with the default field tile. */
    public static AttractorSde forward(ProcessParameters params) {
        return new AttractorSde(params, MeanFieldAttraction.DEFAULT_TILE, null);
    }

    public ProcessParameters params() {
        return params;
    }

    public MeanFieldAttraction field() {
        return field;
    }

    /** The same process with a fitted prior. */
    public AttractorSde withPrior(GaussianPrior fitted) {
        return new AttractorSde(params, tile, fitted);
    }

    @Override
    public String name() {
        return "attractor";
    }

    /** α F_x(x) − β x with F over the rows of x, each row self-excluded. */
    @Override
    public NDArray drift(NDArray x, double t) {
        NDArray pull = x.mul((float) -params.beta());
        return params.alpha() > 0 ? pull.add(field.selfField(x).mul((float) params.alpha())) : pull;
    }

    /** √(2λ). */
    @Override
    public double diffusion(double t) {
        return Math.sqrt(2 * params.lambda());
    }

    @Override
    public double horizon() {
        return params.horizon();
    }

    /**
     * 0: the reverse grid ends at t = 0, and no sampler evaluates the score at the last time of its grid (the last
     * step uses the score at t_1 &gt; 0 and adds no noise).
     */
    @Override
    public double eps() {
        return 0;
    }

    @Override
    public NDArray samplePrior(NDManager manager, int n, int dim, RandomSource random) {
        GaussianPrior p = requirePrior();
        if (dim != p.dimension()) {
            throw new IllegalArgumentException("the prior has dimension " + p.dimension() + ", asked for " + dim);
        }
        return p.sample(n, random).toNd(manager);
    }

    @Override
    public double priorLogDensity(float[] x) {
        return requirePrior().logDensity(x);
    }

    private GaussianPrior requirePrior() {
        if (prior == null) {
            throw new IllegalStateException("this attractor process has no fitted prior (forward simulation only)");
        }
        return prior;
    }
}
