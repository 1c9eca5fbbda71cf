package dev.genserve.generative;

import java.util.concurrent.CancellationException;

/**
 * Cooperative cancellation of long loops (sampling and simulation steps): a caller that wants a computation stopped
 * interrupts its thread, and the loop stops at its next step. The interrupt flag is left set for the caller.
 */
public final class Interruptions {

    private Interruptions() {}

    /** Throws {@link CancellationException} when the current thread has been interrupted. */
    public static void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("computation interrupted");
        }
    }
}
