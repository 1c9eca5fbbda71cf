package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Euler–Maruyama simulation of the McKean–Vlasov SDE dX = [α F_{p_t}(X) − β X] dt + √(2λ) dW, with F estimated
 * over the particle cloud itself (self-excluded): x_{k+1} = μ_k + σ_k z, μ_k = x_k + (α F(x_k) − β x_k) Δt_k,
 * σ_k = √(2λ Δt_k), z ~ N(0, I) drawn from {@code RandomSource.forStep(seed, k)}.
 */
public final class AttractorProcess {

    /** The particle positions at K snapshot times (first t = 0, last t = T). */
    public record Trajectory(List<Snapshot> snapshots) {
        public FloatMatrix end() {
            return snapshots.get(snapshots.size() - 1).points();
        }
    }

    /** Receives every step: its index k, the Gaussian mean μ_k and the next state x_{k+1} (both row-major). */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int k, float[] mean, float[] next);
    }

    private final ProcessParameters params;
    private final MeanFieldAttraction field;

    public AttractorProcess(ProcessParameters params) {
        this(params, MeanFieldAttraction.DEFAULT_TILE);
    }

    public AttractorProcess(ProcessParameters params, int tile) {
        this.params = params;
        this.field = new MeanFieldAttraction(params.delta(), tile);
    }

    public ProcessParameters params() {
        return params;
    }

    /**
     * Simulates the forward process from x0 and returns {@code snapshots} states at evenly spaced step indices
     * (1 = the end state only; otherwise the first is x0 and the last is x_T).
     */
    public static Trajectory simulate(FloatMatrix x0, ProcessParameters params, int snapshots, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return new AttractorProcess(params).simulate(manager, x0, snapshots, seed);
        }
    }

    /** As {@link #simulate(FloatMatrix, ProcessParameters, int, long)}, with temporaries in sub-managers of manager. */
    public Trajectory simulate(NDManager manager, FloatMatrix x0, int snapshots, long seed) {
        int steps = params.steps();
        if (snapshots < 1 || snapshots > steps + 1) {
            throw new IllegalArgumentException("snapshots must be in [1, " + (steps + 1) + "] for " + steps
                    + " simulation steps, got " + snapshots);
        }
        int[] at = snapshotSteps(steps, snapshots);
        TimeGrid grid = params.grid();
        List<Snapshot> out = new ArrayList<>();
        int[] next = {0};
        if (at[0] == 0) {
            out.add(new Snapshot(0.0, x0));
            next[0]++;
        }
        run(manager, x0, seed, (k, mean, state) -> {
            if (next[0] < at.length && at[next[0]] == k + 1) {
                out.add(new Snapshot(grid.time(k + 1), new FloatMatrix(state.clone(), x0.rows(), x0.cols())));
                next[0]++;
            }
        });
        return new Trajectory(List.copyOf(out));
    }

    /** Runs all steps from x0, reporting each to the listener; returns x_T. */
    public FloatMatrix run(NDManager manager, FloatMatrix x0, long seed, StepListener listener) {
        TimeGrid grid = params.grid();
        int rows = x0.rows();
        int cols = x0.cols();
        float[] x = x0.data().clone();
        float[] mean = new float[x.length];
        for (int k = 0; k < params.steps(); k++) {
            dev.genserve.generative.Interruptions.check();
            double dt = grid.stepLength(k);
            try (NDManager scope = manager.newSubManager()) {
                NDArray xs = scope.create(x, new Shape(rows, cols));
                NDArray drift = xs.mul((float) -params.beta());
                if (params.alpha() > 0) {
                    drift = drift.add(field.selfField(xs).mul((float) params.alpha()));
                }
                mean = xs.add(drift.mul((float) dt)).toFloatArray();
            }
            float sigma = (float) Math.sqrt(2 * params.lambda() * dt);
            RandomSource random = RandomSource.forStep(seed, k);
            float[] next = new float[x.length];
            for (int i = 0; i < next.length; i++) {
                next[i] = mean[i] + sigma * (float) random.nextGaussian();
            }
            listener.onStep(k, mean, next);
            x = next;
        }
        return new FloatMatrix(x, rows, cols);
    }

    /** Evenly spaced step indices 0…steps (only {steps} when count = 1). */
    static int[] snapshotSteps(int steps, int count) {
        if (count == 1) {
            return new int[] {steps};
        }
        int[] at = new int[count];
        for (int j = 0; j < count; j++) {
            at[j] = (int) Math.round((double) j * steps / (count - 1));
        }
        return at;
    }
}
