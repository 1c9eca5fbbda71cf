package dev.genserve.generative.drifting;

import java.util.List;

/**
 * Configuration of a drifting (one-step) generator. Every field is nullable; {@link DriftingFamily#resolve} fills
 * the defaults documented in docs/drifting.md and records the data-derived fields (dimension, numClasses,
 * imageShape, dataRange).
 *
 * @param hidden MLP width (mlp) or 8× the conv channel count (conv); default 256, 128 under a codebook
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
 * @param guidanceWeight largest CFG scale α trained (α log-uniform on [1, guidanceWeight]); default 2 when
 *     conditional, else 1
 * @param featureMaps "identity" and/or "patch-stats"; default [identity] for vectors, [identity, patch-stats] for images
 * @param architecture "mlp" or "conv"; default conv for images, mlp otherwise
 * @param affinityClamp the published clamp of softmax_row ⊙ softmax_col before the square root (0 = none); default 0
 * @param fourierFeatures random Fourier frequencies of the noise fed to the MLP generator (0 = none); default 0
 * @param fourierScale standard deviation σ of those frequencies; default 1
 * @param noiseCodes K &gt; 0: the last noise coordinate becomes a uniform one-hot code over K values (mlp); default 0
 * @param codebook K &gt; 0: the last noise coordinate selects one of K learned output offsets (mlp, a mixture
 *     generator, {@link CodebookMlp}); default min(1024, generated) for unconditional vector data with D ≤ 16,
 *     else 0
 * @param clampOutput clamp samples to the training data's range (dataRange); default true for images, else false
 * @param dimension data dimension D (recorded by resolve)
 * @param numClasses classes of a conditional model, 0 otherwise (recorded by resolve)
 * @param imageShape (C, H, W) for images, null otherwise (recorded by resolve)
 * @param dataRange [min, max] of the standardised training values (recorded by resolve)
 */
public record DriftingConfig(Integer hidden, Integer depth, Integer noiseDim, List<Double> temperatures,
        Integer positives, Integer generated, Integer steps, Double learningRate, Double weightDecay,
        Integer warmupSteps, Boolean cosineDecay, Double emaDecay, Double gradientClip, Long seed,
        Boolean conditional, Double guidanceWeight, List<String> featureMaps, String architecture,
        Double affinityClamp, Integer fourierFeatures, Double fourierScale, Integer noiseCodes, Integer codebook,
        Boolean clampOutput, Integer dimension, Integer numClasses, List<Integer> imageShape,
        List<Double> dataRange) {

    /** All defaults. */
    public static DriftingConfig defaults() {
        return new Builder().build();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public DriftingConfig withSteps(int value) {
        return toBuilder().steps(value).build();
    }

    public DriftingConfig withSeed(long value) {
        return toBuilder().seed(value).build();
    }

    public DriftingConfig withNetwork(int hiddenWidth, int hiddenDepth) {
        return toBuilder().hidden(hiddenWidth).depth(hiddenDepth).build();
    }

    public DriftingConfig withBatch(int positiveRows, int generatedRows) {
        return toBuilder().positives(positiveRows).generated(generatedRows).build();
    }

    public DriftingConfig withGuidance(Boolean isConditional, Double maxGuidance) {
        return toBuilder().conditional(isConditional).guidanceWeight(maxGuidance).build();
    }

    public DriftingConfig withArchitecture(String arch, List<String> maps) {
        return toBuilder().architecture(arch).featureMaps(maps).build();
    }

    public DriftingConfig withOptimizer(double lr, int warmup, double ema) {
        return toBuilder().learningRate(lr).warmupSteps(warmup).emaDecay(ema).build();
    }

    int[] imageShapeArray() {
        return imageShape == null ? null : imageShape.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Mutable copy of every component, for building variants of a config. */
    public static final class Builder {
        private Integer hidden;
        private Integer depth;
        private Integer noiseDim;
        private List<Double> temperatures;
        private Integer positives;
        private Integer generated;
        private Integer steps;
        private Double learningRate;
        private Double weightDecay;
        private Integer warmupSteps;
        private Boolean cosineDecay;
        private Double emaDecay;
        private Double gradientClip;
        private Long seed;
        private Boolean conditional;
        private Double guidanceWeight;
        private List<String> featureMaps;
        private String architecture;
        private Double affinityClamp;
        private Integer fourierFeatures;
        private Double fourierScale;
        private Integer noiseCodes;
        private Integer codebook;
        private Boolean clampOutput;
        private Integer dimension;
        private Integer numClasses;
        private List<Integer> imageShape;
        private List<Double> dataRange;

        public Builder() {}

        Builder(DriftingConfig c) {
            hidden = c.hidden;
            depth = c.depth;
            noiseDim = c.noiseDim;
            temperatures = c.temperatures;
            positives = c.positives;
            generated = c.generated;
            steps = c.steps;
            learningRate = c.learningRate;
            weightDecay = c.weightDecay;
            warmupSteps = c.warmupSteps;
            cosineDecay = c.cosineDecay;
            emaDecay = c.emaDecay;
            gradientClip = c.gradientClip;
            seed = c.seed;
            conditional = c.conditional;
            guidanceWeight = c.guidanceWeight;
            featureMaps = c.featureMaps;
            architecture = c.architecture;
            affinityClamp = c.affinityClamp;
            fourierFeatures = c.fourierFeatures;
            fourierScale = c.fourierScale;
            noiseCodes = c.noiseCodes;
            codebook = c.codebook;
            clampOutput = c.clampOutput;
            dimension = c.dimension;
            numClasses = c.numClasses;
            imageShape = c.imageShape;
            dataRange = c.dataRange;
        }

        public Builder hidden(Integer v) {
            hidden = v;
            return this;
        }

        public Builder depth(Integer v) {
            depth = v;
            return this;
        }

        public Builder noiseDim(Integer v) {
            noiseDim = v;
            return this;
        }

        public Builder temperatures(List<Double> v) {
            temperatures = v;
            return this;
        }

        public Builder positives(Integer v) {
            positives = v;
            return this;
        }

        public Builder generated(Integer v) {
            generated = v;
            return this;
        }

        public Builder steps(Integer v) {
            steps = v;
            return this;
        }

        public Builder learningRate(Double v) {
            learningRate = v;
            return this;
        }

        public Builder weightDecay(Double v) {
            weightDecay = v;
            return this;
        }

        public Builder warmupSteps(Integer v) {
            warmupSteps = v;
            return this;
        }

        public Builder cosineDecay(Boolean v) {
            cosineDecay = v;
            return this;
        }

        public Builder emaDecay(Double v) {
            emaDecay = v;
            return this;
        }

        public Builder gradientClip(Double v) {
            gradientClip = v;
            return this;
        }

        public Builder seed(Long v) {
            seed = v;
            return this;
        }

        public Builder conditional(Boolean v) {
            conditional = v;
            return this;
        }

        public Builder guidanceWeight(Double v) {
            guidanceWeight = v;
            return this;
        }

        public Builder featureMaps(List<String> v) {
            featureMaps = v;
            return this;
        }

        public Builder architecture(String v) {
            architecture = v;
            return this;
        }

        public Builder affinityClamp(Double v) {
            affinityClamp = v;
            return this;
        }

        public Builder fourierFeatures(Integer v) {
            fourierFeatures = v;
            return this;
        }

        public Builder fourierScale(Double v) {
            fourierScale = v;
            return this;
        }

        public Builder noiseCodes(Integer v) {
            noiseCodes = v;
            return this;
        }

        public Builder codebook(Integer v) {
            codebook = v;
            return this;
        }

        public Builder clampOutput(Boolean v) {
            clampOutput = v;
            return this;
        }

        Builder recorded(Integer dim, Integer classes, List<Integer> shape, List<Double> range) {
            dimension = dim;
            numClasses = classes;
            imageShape = shape;
            dataRange = range;
            return this;
        }

        public DriftingConfig build() {
            return new DriftingConfig(hidden, depth, noiseDim, temperatures, positives, generated, steps,
                    learningRate, weightDecay, warmupSteps, cosineDecay, emaDecay, gradientClip, seed, conditional,
                    guidanceWeight, featureMaps, architecture, affinityClamp, fourierFeatures, fourierScale,
                    noiseCodes, codebook, clampOutput, dimension, numClasses,
                    imageShape, dataRange);
        }
    }
}
