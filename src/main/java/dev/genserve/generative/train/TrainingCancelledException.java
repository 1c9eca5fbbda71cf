package dev.genserve.generative.train;

/** Thrown by a trainer between steps when its {@link TrainingContext} asks it to stop. */
public class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException(int step) {
        super("training cancelled at step " + step);
    }
}
