package dev.genserve.generative.score;

import dev.genserve.generative.sde.SdeConfig;
import java.util.List;

/**
 * Configuration of the "diffusion" family (all fields nullable; defaults in parentheses, see docs/diffusion.md).
 *
 * @param sde the forward SDE (VP)
 * @param hidden width of the network (256 for mlp, 128 for resmlp; conv: channels of the first stage, 32)
 * @param depth hidden layers (mlp, 3) or residual blocks (resmlp, 3)
 * @param timeFeatures sinusoidal features of the time or noise level (32)
 * @param steps training steps (2000)
 * @param batchSize batch size (512; 128 for conv)
 * @param learningRate peak AdamW learning rate (2e-3 with edm, 1e-3 with epsilon)
 * @param warmupSteps linear warm-up steps (200 with edm, 100 with epsilon), then cosine decay
 * @param emaDecay EMA decay of the weights (0.999)
 * @param gradientClip global gradient-norm clip (1.0; 0 = off)
 * @param seed seed of every random draw (0)
 * @param sampler default sampler (euler-maruyama)
 * @param sampleSteps default sampling steps (500)
 * @param snr predictor–corrector signal-to-noise ratio (0.16)
 * @param dimension data dimension, recorded by resolve
 * @param architecture resmlp | mlp | conv (resmlp for vectors, conv for images)
 * @param fourierCount random Fourier frequencies of the (preconditioned) input, resmlp only (64; 0 = none)
 * @param fourierScale std of those frequencies, in cycles per unit of the standardised input (1.0 × √(2/D): the
 *     projections b·x spread as at D = 2)
 * @param preconditioning edm | epsilon (edm; epsilon for composed SDEs, which have no closed-form marginal)
 * @param sigmaData σ_data of EDM's preconditioning (1.0: the data is standardised)
 * @param noiseMean P_mean of EDM's log-normal training noise, ln σ ~ N(P_mean, P_std²) (−1.2)
 * @param noiseStd P_std (1.2)
 * @param conditional class-conditional with classifier-free guidance (default: labelled image data)
 * @param classDropout share of training rows whose label is replaced by the null class (0.1 when conditional)
 * @param guidance default guidance scale w at sample time, D = D(∅) + w(D(c) − D(∅)) (1.0: plain conditional)
 * @param dataRadius largest norm of a training row (standardised units), recorded by resolve: the denoiser is
 *     clipped to this ball, which holds the data's convex hull and so every optimal denoiser output
 * @param numClasses classes of a conditional model, 0 otherwise (recorded by resolve)
 * @param imageShape (C, H, W) of image data, null otherwise (recorded by resolve)
 */
public record DiffusionConfig(SdeConfig sde, Integer hidden, Integer depth, Integer timeFeatures, Integer steps,
        Integer batchSize, Double learningRate, Integer warmupSteps, Double emaDecay, Double gradientClip, Long seed,
        String sampler, Integer sampleSteps, Double snr, Integer dimension, String architecture,
        Integer fourierCount, Double fourierScale, String preconditioning, Double sigmaData, Double noiseMean,
        Double noiseStd, Boolean conditional, Double classDropout, Double guidance, Double dataRadius,
        Integer numClasses, List<Integer> imageShape) {

    /** Everything default. */
    public static DiffusionConfig defaults() {
        return new DiffusionConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public DiffusionConfig withSde(SdeConfig value) {
        return new DiffusionConfig(value, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, sampler, sampleSteps, snr, dimension, architecture, fourierCount,
                fourierScale, preconditioning, sigmaData, noiseMean, noiseStd, conditional, classDropout, guidance,
                dataRadius, numClasses, imageShape);
    }

    public DiffusionConfig withNetwork(int width, int layers) {
        return new DiffusionConfig(sde, width, layers, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, sampler, sampleSteps, snr, dimension, architecture, fourierCount,
                fourierScale, preconditioning, sigmaData, noiseMean, noiseStd, conditional, classDropout, guidance,
                dataRadius, numClasses, imageShape);
    }

    public DiffusionConfig withTraining(int stepCount, int batch, double rate, long seedValue) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, stepCount, batch, rate, warmupSteps, emaDecay,
                gradientClip, seedValue, sampler, sampleSteps, snr, dimension, architecture, fourierCount,
                fourierScale, preconditioning, sigmaData, noiseMean, noiseStd, conditional, classDropout, guidance,
                dataRadius, numClasses, imageShape);
    }

    public DiffusionConfig withSampling(String samplerName, int stepCount) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, samplerName, stepCount, snr, dimension, architecture, fourierCount,
                fourierScale, preconditioning, sigmaData, noiseMean, noiseStd, conditional, classDropout, guidance,
                dataRadius, numClasses, imageShape);
    }

    public DiffusionConfig withEma(double decay, int warmup) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmup, decay,
                gradientClip, seed, sampler, sampleSteps, snr, dimension, architecture, fourierCount, fourierScale,
                preconditioning, sigmaData, noiseMean, noiseStd, conditional, classDropout, guidance, dataRadius,
                numClasses, imageShape);
    }

    /** The architecture and its Fourier features (count 0 = none). */
    public DiffusionConfig withArchitecture(String name, Integer count, Double scale) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, sampler, sampleSteps, snr, dimension, name, count, scale,
                preconditioning, sigmaData, noiseMean, noiseStd, conditional, classDropout, guidance, dataRadius,
                numClasses, imageShape);
    }

    /** The parametrisation and EDM's σ_data and log-normal noise (nulls keep the defaults). */
    public DiffusionConfig withPreconditioning(String name, Double sigma, Double mean, Double std) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, sampler, sampleSteps, snr, dimension, architecture, fourierCount,
                fourierScale, name, sigma, mean, std, conditional, classDropout, guidance, dataRadius, numClasses,
                imageShape);
    }

    /** Class conditioning: conditional, null-class dropout and the default guidance scale. */
    public DiffusionConfig withGuidance(Boolean isConditional, Double dropout, Double scale) {
        return new DiffusionConfig(sde, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, seed, sampler, sampleSteps, snr, dimension, architecture, fourierCount,
                fourierScale, preconditioning, sigmaData, noiseMean, noiseStd, isConditional, dropout, scale,
                dataRadius, numClasses, imageShape);
    }

    /** Whether the EDM preconditioning is used (else ε-parametrisation). */
    public boolean edm() {
        return "edm".equals(preconditioning);
    }
}
