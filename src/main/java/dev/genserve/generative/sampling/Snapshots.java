package dev.genserve.generative.sampling;

import ai.djl.ndarray.NDArray;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Records K snapshots of a run of N steps at the step indices round(j·N/(K−1)), j = 0..K−1 (K = 1: the end
 * only). Snapshot 0 is the start, the last one the result.
 */
final class Snapshots {

    private final int steps;
    private final int count;
    private final List<SampleResult.Snapshot> taken = new ArrayList<>();
    private int next;

    Snapshots(int steps, int count) {
        this.steps = steps;
        this.count = count;
    }

    private int indexOf(int j) {
        return count == 1 ? steps : (int) Math.round((double) j * steps / (count - 1));
    }

    /** Offers the state after {@code step} steps (0 = start). */
    void offer(int step, double t, NDArray x) {
        if (next >= count) {
            return;
        }
        if (indexOf(next) == step) {
            FloatMatrix points = FloatMatrix.fromNd(x);
            while (next < count && indexOf(next) == step) {
                taken.add(new SampleResult.Snapshot(t, points));
                next++;
            }
        }
    }

    List<SampleResult.Snapshot> result() {
        return List.copyOf(taken);
    }
}
