package dev.genserve.generative.sde;

import ai.djl.ndarray.NDArray;

/**
 * The reverse-time dynamics of a forward SDE dx = f dt + g dw, derived from it and its score s = ∇log p_t
 * (Anderson 1982; Song et al. 2021, eqs. 6 and 13), written for integration from T down to eps:
 * <pre>
 * reverse SDE:             dx = [f(x,t) − g(t)² s(x,t)] dt + g(t) dw̄
 * probability-flow ODE:    dx = [f(x,t) − ½ g(t)² s(x,t)] dt
 * </pre>
 * Every sampler, the likelihood and every family that reverses a forward process use this one definition.
 */
public final class ReverseSde {

    private final Sde forward;
    private final ScoreFunction score;
    private final boolean probabilityFlow;

    ReverseSde(Sde forward, ScoreFunction score, boolean probabilityFlow) {
        this.forward = forward;
        this.score = score;
        this.probabilityFlow = probabilityFlow;
    }

    public Sde forward() {
        return forward;
    }

    public ScoreFunction score() {
        return score;
    }

    public boolean probabilityFlow() {
        return probabilityFlow;
    }

    /** The weight c of the score term in f − c·g²·s: 1 for the reverse SDE, ½ for the probability-flow ODE. */
    public double scoreWeight() {
        return probabilityFlow ? 0.5 : 1.0;
    }

    /** The reverse drift f(x,t) − c·g(t)²·s(x,t) (attached to x's manager). */
    public NDArray drift(NDArray x, double t) {
        double g = forward.diffusion(t);
        return forward.drift(x, t).sub(score.score(x, t).mul((float) (scoreWeight() * g * g)));
    }

    /** The diffusion of the reverse dynamics: g(t), or 0 for the probability-flow ODE. */
    public double diffusion(double t) {
        return probabilityFlow ? 0 : forward.diffusion(t);
    }

    /**
     * Song et al.'s reverse discretisation of one step of length dt ending at t − dt: with the forward step
     * x_{t} = x_{t−dt} + F + G z ({@link Sde#discretize}), the reverse step is x_{t−dt} = x_t − (F − c·G² s) + G' z with
     * G' = G (0 for the probability-flow ODE).
     */
    public Sde.Discretization discretize(NDArray x, double t, double dt) {
        Sde.Discretization f = forward.discretize(x, t, dt);
        NDArray shift = f.shift().sub(score.score(x, t).mul((float) (scoreWeight() * f.noise() * f.noise())));
        return new Sde.Discretization(shift, probabilityFlow ? 0 : f.noise());
    }
}
