package dev.genserve.generative.train;

import ai.djl.Device;
import java.util.Optional;

/**
 * What a trainer needs from whoever runs it: where to report progress, whether to stop, where checkpoints go, and
 * which device to compute on. The service implements it on top of its job table; tests use {@link #simple}.
 */
public interface TrainingContext {

    /** Called after every step; implementations should throttle their own I/O. */
    void report(TrainingProgress progress);

    /** Polled between steps; when true the trainer throws {@link TrainingCancelledException} (never, by default). */
    default boolean cancelRequested() {
        return false;
    }

    /** Where checkpoints are saved and resumed from; empty (the default) for runs that are never resumed. */
    default Optional<CheckpointStore> checkpoints() {
        return Optional.empty();
    }

    /** Save a checkpoint every this many steps (when a store is present). */
    default int checkpointEvery() {
        return 500;
    }

    /**
     * Called by the training loop between a step's forward pass and its backward pass (a test hook: a context that
     * runs the garbage collector here proves that the backward never reads memory the JVM already freed).
     */
    default void beforeBackward(int step) {}

    default Device device() {
        return Device.cpu();
    }

    /** Where the loop reports the time of each part of each step (nothing, unless a benchmark asks). */
    default StepProfile profile() {
        return StepProfile.NONE;
    }

    /** A context with no reporting, no cancellation and no checkpoints, on the CPU. */
    static TrainingContext simple() {
        return progress -> {};
    }
}
