package dev.genserve.generative.drifting;

import java.util.List;

/**
 * Configuration of a drifting (one-step) generator. Every field is nullable; {@link DriftingFamily#resolve} fills
 * the defaults documented in docs/drifting.md and records the data-derived fields (dimension, numClasses,
 * imageShape).
 *
 * @param hidden MLP width (mlp) or 8× the conv channel count (conv); default 256
 * @param depth MLP hidden layers; default 3
 * @param noiseDim width of the noise z; default clamp(D, 16, 128)
 * @param temperatures τ values whose normalised drifts are summed; default [0.02, 0.05, 0.2]
 * @param positives data rows per step (split over classes when conditional); default 1024
 * @param generated generated rows per step (split over classes when conditional); default 1024
 * @param steps optimiser steps; default 2000
 * @param learningRate AdamW peak learning rate; default 1e-3
 * @param weightDecay AdamW decoupled weight decay; default 0
 * @param warmupSteps linear warm-up; default 100
 * @param cosineDecay cosine decay after warm-up; default true
 * @param emaDecay EMA of the weights; default 0.999
 * @param gradientClip global gradient-norm clip (0 = off); default 1.0
 * @param seed fixes every random draw; default 0
 * @param conditional class-conditional; default = whether the data has labels
 * @param guidanceWeight largest CFG scale α trained (α ~ U[1, guidanceWeight]); default 2 when conditional, else 1
 * @param featureMaps "identity" and/or "patch-stats"; default [identity] for vectors, [identity, patch-stats] for images
 * @param architecture "mlp" or "conv"; default conv for images, mlp otherwise
 * @param dimension data dimension D (recorded by resolve)
 * @param numClasses classes of a conditional model, 0 otherwise (recorded by resolve)
 * @param imageShape (C, H, W) for images, null otherwise (recorded by resolve)
 */
public record DriftingConfig(Integer hidden, Integer depth, Integer noiseDim, List<Double> temperatures,
        Integer positives, Integer generated, Integer steps, Double learningRate, Double weightDecay,
        Integer warmupSteps, Boolean cosineDecay, Double emaDecay, Double gradientClip, Long seed,
        Boolean conditional, Double guidanceWeight, List<String> featureMaps, String architecture,
        Integer dimension, Integer numClasses, List<Integer> imageShape) {

    /** All defaults. */
    public static DriftingConfig defaults() {
        return new DriftingConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    public DriftingConfig withSteps(int value) {
        return new DriftingConfig(hidden, depth, noiseDim, temperatures, positives, generated, value, learningRate,
                weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, seed, conditional, guidanceWeight,
                featureMaps, architecture, dimension, numClasses, imageShape);
    }

    public DriftingConfig withSeed(long value) {
        return new DriftingConfig(hidden, depth, noiseDim, temperatures, positives, generated, steps, learningRate,
                weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, value, conditional, guidanceWeight,
                featureMaps, architecture, dimension, numClasses, imageShape);
    }

    public DriftingConfig withNetwork(int hiddenWidth, int hiddenDepth) {
        return new DriftingConfig(hiddenWidth, hiddenDepth, noiseDim, temperatures, positives, generated, steps,
                learningRate, weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, seed, conditional,
                guidanceWeight, featureMaps, architecture, dimension, numClasses, imageShape);
    }

    public DriftingConfig withBatch(int positiveRows, int generatedRows) {
        return new DriftingConfig(hidden, depth, noiseDim, temperatures, positiveRows, generatedRows, steps,
                learningRate, weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, seed, conditional,
                guidanceWeight, featureMaps, architecture, dimension, numClasses, imageShape);
    }

    public DriftingConfig withGuidance(Boolean isConditional, Double maxGuidance) {
        return new DriftingConfig(hidden, depth, noiseDim, temperatures, positives, generated, steps, learningRate,
                weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, seed, isConditional, maxGuidance,
                featureMaps, architecture, dimension, numClasses, imageShape);
    }

    public DriftingConfig withArchitecture(String arch, List<String> maps) {
        return new DriftingConfig(hidden, depth, noiseDim, temperatures, positives, generated, steps, learningRate,
                weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, seed, conditional, guidanceWeight,
                maps, arch, dimension, numClasses, imageShape);
    }

    public DriftingConfig withOptimizer(double lr, int warmup, double ema) {
        return new DriftingConfig(hidden, depth, noiseDim, temperatures, positives, generated, steps, lr,
                weightDecay, warmup, cosineDecay, ema, gradientClip, seed, conditional, guidanceWeight,
                featureMaps, architecture, dimension, numClasses, imageShape);
    }

    public DriftingConfig withNoiseDim(int value) {
        return new DriftingConfig(hidden, depth, value, temperatures, positives, generated, steps, learningRate,
                weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, seed, conditional, guidanceWeight,
                featureMaps, architecture, dimension, numClasses, imageShape);
    }

    int[] imageShapeArray() {
        return imageShape == null ? null : imageShape.stream().mapToInt(Integer::intValue).toArray();
    }
}
