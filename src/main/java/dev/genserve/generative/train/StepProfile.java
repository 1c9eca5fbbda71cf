package dev.genserve.generative.train;

/**
 * Where the time of a training step goes, as the {@link TrainingLoop} sees it: the loss (data, noise and the forward
 * pass), the backward pass, the optimiser (global norm, clipping, AdamW), the EMA update, and the bookkeeping (loss
 * read-back, progress, checkpoints, freeing the step's arrays). libtorch runs CPU ops synchronously, so each part's
 * time is its own; with one intra-op thread they run on the caller's thread, whose CPU time a benchmark may use as
 * {@link #now} to see through a busy machine. Used by the benchmark; the default records nothing.
 */
@FunctionalInterface
public interface StepProfile {

    enum Part { FORWARD, BACKWARD, OPTIMIZER, EMA, BOOKKEEPING }

    /** Adds {@code nanos} to {@code part} for step {@code step} (0-based). */
    void record(int step, Part part, long nanos);

    /** The clock the parts are measured with (wall time by default). */
    default long now() {
        return System.nanoTime();
    }

    StepProfile NONE = (step, part, nanos) -> { };
}
