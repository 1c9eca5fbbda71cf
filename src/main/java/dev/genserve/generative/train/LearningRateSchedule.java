package dev.genserve.generative.train;

/**
 * Linear warm-up from 0 to the peak rate over {@code warmupSteps}, then either constant or a cosine decay to
 * {@code finalFraction} of the peak at the last step: η_t = η·(f + (1 − f)·½(1 + cos(π·p))), p = progress after
 * warm-up.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, boolean cosine,
        double finalFraction) {

    public LearningRateSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("invalid schedule: lr=" + peak + " warmup=" + warmupSteps
                    + " steps=" + totalSteps);
        }
    }

    /** The rate for 0-based step {@code step}. */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (!cosine) {
            return peak;
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1, (step - warmupSteps) / span);
        return peak * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
