package dev.genserve.generative.score;

import dev.genserve.generative.sde.SdeConfig;

/**
 * Configuration of the "diffusion" family (all fields nullable; defaults in parentheses).
 *
 * @param sde the forward SDE (VP)
 * @param hidden MLP width (256)
 * @param depth MLP hidden layers (3)
 * @param timeFeatures sinusoidal time features (32)
 * @param steps training steps (2000)
 * @param batchSize batch size (512)
 * @param learningRate peak AdamW learning rate (1e-3)
 * @param warmupSteps linear warm-up steps (100), then cosine decay
 * @param emaDecay EMA decay of the weights (0.999)
 * @param gradientClip global gradient-norm clip (1.0; 0 = off)
 * @param seed seed of every random draw (0)
 * @param sampler default sampler (euler-maruyama)
 * @param sampleSteps default sampling steps (500)
 * @param snr predictor–corrector signal-to-noise ratio (0.16)
 * @param dimension data dimension, recorded by resolve
 */
public record DiffusionConfig(SdeConfig sde, Integer hidden, Integer depth, Integer timeFeatures, Integer steps,
        Integer batchSize, Double learningRate, Integer warmupSteps, Double emaDecay, Double gradientClip, Long seed,
        String sampler, Integer sampleSteps, Double snr, Integer dimension) {

    /** Everything default. */
    public static DiffusionConfig defaults() {
        return new DiffusionConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    public DiffusionConfig withSde(SdeConfig value) {
        return new DiffusionConfig(value, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, sampler, sampleSteps, snr, dimension);
    }

    public DiffusionConfig withNetwork(int width, int layers) {
        return new DiffusionConfig(sde, width, layers, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, sampler, sampleSteps, snr, dimension);
    }

    public DiffusionConfig withTraining(int stepCount, int batch, double rate, long seedValue) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, stepCount, batch, rate, warmupSteps, emaDecay,
                gradientClip, seedValue, sampler, sampleSteps, snr, dimension);
    }

    public DiffusionConfig withSampling(String samplerName, int stepCount) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, samplerName, stepCount, snr, dimension);
    }

    public DiffusionConfig withEma(double decay, int warmup) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmup, decay,
                gradientClip, seed, sampler, sampleSteps, snr, dimension);
    }
}
