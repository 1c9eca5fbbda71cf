package dev.genserve.generative.sde;

/** Validation helpers shared by the SDE classes. */
final class Sdes {

    private Sdes() {}

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    static void checkTimes(double horizon, double eps) {
        require(horizon > 0 && Double.isFinite(horizon), "T must be a finite value > 0, got " + horizon);
        require(eps > 0 && eps < horizon, "eps must be in (0, T), got " + eps);
    }
}
