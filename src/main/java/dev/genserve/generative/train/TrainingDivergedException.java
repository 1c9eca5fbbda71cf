package dev.genserve.generative.train;

/** Thrown when the loss becomes NaN or infinite: the run cannot produce a usable model. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(int step, double loss) {
        super("loss diverged to " + loss + " at step " + step
                + "; try a lower learning rate, stronger gradient clipping or a smaller network");
    }
}
