package dev.genserve.generative.train;

/**
 * Optimisation settings shared by every trainer: steps, AdamW learning rate and weight decay, warm-up, cosine
 * decay, global gradient-norm clipping, EMA decay and the seed that fixes every random draw of the run.
 */
public record OptimizerSettings(int steps, double learningRate, int warmupSteps, boolean cosineDecay,
        double weightDecay, double gradientClip, double emaDecay, long seed) {

    public OptimizerSettings {
        if (steps < 1 || steps > 10_000_000) {
            throw new IllegalArgumentException("steps must be in [1, 10000000], got " + steps);
        }
        if (!(learningRate > 0) || learningRate > 1) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be ≥ 0, got " + warmupSteps);
        }
        if (weightDecay < 0 || !(gradientClip >= 0) || emaDecay < 0 || emaDecay >= 1) {
            throw new IllegalArgumentException("weightDecay and gradientClip must be ≥ 0 and emaDecay in [0, 1)");
        }
    }

    public LearningRateSchedule schedule() {
        return new LearningRateSchedule(learningRate, Math.min(warmupSteps, steps), steps, cosineDecay, 0.05);
    }
}
