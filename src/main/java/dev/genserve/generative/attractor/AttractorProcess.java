package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult.Snapshot;
import dev.genserve.generative.sampling.ForwardSimulator;
import java.util.List;

/**
 * Forward simulation of the attractor process ({@link AttractorSde}) with the shared {@link ForwardSimulator} on
 * its power grid t_k = T (k/K)^p: x_{k+1} = x_k + (α F(x_k) − β x_k) Δt_k + √(2λ Δt_k) z, F over the cloud
 * itself. Used by training (every state of the simulated cloud) and by {@code POST /processes/simulate} (K
 * snapshots).
 */
public final class AttractorProcess {

    /** The particle positions at K snapshot times (first t = 0, last t = T). */
    public record Trajectory(List<Snapshot> snapshots) {
        public FloatMatrix end() {
            return snapshots.get(snapshots.size() - 1).points();
        }
    }

    private final AttractorSde sde;
    private final TimeGrid grid;

    public AttractorProcess(ProcessParameters params) {
        this(params, MeanFieldAttraction.DEFAULT_TILE);
    }

    public AttractorProcess(ProcessParameters params, int tile) {
        this.sde = new AttractorSde(params, tile, null);
        this.grid = params.grid();
    }

    public AttractorSde sde() {
        return sde;
    }

    public TimeGrid grid() {
        return grid;
    }

    /**
     * Simulates the forward process from x0 and returns {@code snapshots} states at evenly spaced step indices
     * (1 = the end state only; otherwise the first is x0 and the last is x_T). Deterministic for a seed.
     */
    public static Trajectory simulate(FloatMatrix x0, ProcessParameters params, int snapshots, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return new AttractorProcess(params).simulate(manager, x0, snapshots, seed);
        }
    }

    /** As {@link #simulate(FloatMatrix, ProcessParameters, int, long)}, with temporaries in sub-managers of manager. */
    public Trajectory simulate(NDManager manager, FloatMatrix x0, int snapshots, long seed) {
        int steps = grid.steps();
        if (snapshots < 1 || snapshots > steps + 1) {
            throw new IllegalArgumentException("snapshots must be in [1, " + (steps + 1) + "] for " + steps
                    + " simulation steps, got " + snapshots);
        }
        try (NDManager scope = manager.newSubManager()) {
            return new Trajectory(ForwardSimulator.simulate(sde, x0.toNd(scope), grid.ascending(),
                    new RandomSource(seed), snapshots).trajectory());
        }
    }

    /** Every state x_0 … x_K of a simulation from x0 (K + 1 snapshots). */
    public List<FloatMatrix> states(NDManager manager, FloatMatrix x0, long seed) {
        return simulate(manager, x0, grid.steps() + 1, seed).snapshots().stream().map(Snapshot::points).toList();
    }
}
