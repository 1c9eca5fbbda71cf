package dev.genserve.generative.attractor;

/**
 * Configuration of the attractor family; null fields take the defaults filled in by {@link AttractorFamily#resolve}
 * (docs/attractor.md lists them). Process: α (alpha), β (beta), λ (lambda), δ (delta), T (horizon), K
 * (simulationSteps) on the grid t_k = T (k/K)^p (timeGridPower). Score estimator: "window" (denoising score matching
 * on linearised Gaussian windows of length ≥ windowFraction·t; 0 = one-step transitions, 1 = windows from the data)
 * or "sliced" (finite-difference sliced score matching on the simulated marginals), optionally with the
 * control variate of the known drift. Training: cloudSize particles per forward simulation, a fresh simulation every
 * resimulateEvery steps (0 = one simulation), the score network (residual MLP of depth blocks, hidden wide, with
 * fourierFeatures random Fourier features of scale fourierScale and timeFeatures clock features) and the shared
 * optimiser settings. Sampling: the default sampler and sampleSteps; clouds of at least minCloud and at most maxCloud
 * particles on the reverse grid t_j = T (j/S)^q (q = sampleGridPower); F computed in tiles of fieldTile query rows. dimension is recorded from the data.
 */
public record AttractorConfig(
        Double alpha,
        Double beta,
        Double lambda,
        Double delta,
        Double horizon,
        Integer simulationSteps,
        Double timeGridPower,
        String estimator,
        Double windowFraction,
        Boolean controlVariate,
        Integer cloudSize,
        Integer resimulateEvery,
        Integer hidden,
        Integer depth,
        Integer timeFeatures,
        Integer fourierFeatures,
        Double fourierScale,
        Integer steps,
        Integer batchSize,
        Double learningRate,
        Integer warmupSteps,
        Double emaDecay,
        Double gradientClip,
        Double weightDecay,
        Long seed,
        String sampler,
        Integer sampleSteps,
        Double sampleGridPower,
        Integer minCloud,
        Integer maxCloud,
        Integer fieldTile,
        Integer dimension) {

    /** A config with every field null (all defaults). */
    public static AttractorConfig defaults() {
        return new AttractorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /** The forward-process parameters of a resolved config. */
    public ProcessParameters process() {
        return new ProcessParameters(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower);
    }

    /** Copy with other process parameters (null keeps a field as it is). */
    public AttractorConfig withProcess(Double newAlpha, Double newBeta, Double newLambda, Double newDelta,
            Double newHorizon) {
        return new AttractorConfig(or(newAlpha, alpha), or(newBeta, beta), or(newLambda, lambda), or(newDelta, delta),
                or(newHorizon, horizon), simulationSteps, timeGridPower, estimator, windowFraction, controlVariate,
                cloudSize, resimulateEvery, hidden, depth, timeFeatures, fourierFeatures, fourierScale, steps,
                batchSize, learningRate, warmupSteps, emaDecay, gradientClip, weightDecay, seed, sampler, sampleSteps, sampleGridPower,
                minCloud, maxCloud, fieldTile, dimension);
    }

    /** Copy with another simulation grid (K, p) and cloud (particles, re-simulation period). */
    public AttractorConfig withSimulation(Integer newSteps, Double newPower, Integer newCloudSize,
            Integer newResimulateEvery) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, or(newSteps, simulationSteps),
                or(newPower, timeGridPower), estimator, windowFraction, controlVariate, or(newCloudSize, cloudSize),
                or(newResimulateEvery, resimulateEvery), hidden, depth, timeFeatures, fourierFeatures, fourierScale,
                steps, batchSize, learningRate, warmupSteps, emaDecay, gradientClip, weightDecay, seed, sampler,
                sampleSteps, sampleGridPower, minCloud, maxCloud, fieldTile, dimension);
    }

    /** Copy with another score estimator. */
    public AttractorConfig withEstimator(String name, Double fraction, Boolean cv) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower,
                or(name, estimator), or(fraction, windowFraction), or(cv, controlVariate), cloudSize, resimulateEvery,
                hidden, depth, timeFeatures, fourierFeatures, fourierScale, steps, batchSize, learningRate,
                warmupSteps, emaDecay, gradientClip, weightDecay, seed, sampler, sampleSteps, sampleGridPower, minCloud, maxCloud,
                fieldTile, dimension);
    }

    /** Copy with another score network. */
    public AttractorConfig withNetwork(Integer newHidden, Integer newDepth, Integer newFourierFeatures,
            Double newFourierScale) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, estimator,
                windowFraction, controlVariate, cloudSize, resimulateEvery, or(newHidden, hidden), or(newDepth, depth),
                timeFeatures, or(newFourierFeatures, fourierFeatures), or(newFourierScale, fourierScale), steps,
                batchSize, learningRate, warmupSteps, emaDecay, gradientClip, weightDecay, seed, sampler, sampleSteps, sampleGridPower,
                minCloud, maxCloud, fieldTile, dimension);
    }

    /** Copy with another training budget. */
    public AttractorConfig withTraining(Integer newSteps, Integer newBatch, Double newLearningRate,
            Integer newWarmup, Double newEma) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, estimator,
                windowFraction, controlVariate, cloudSize, resimulateEvery, hidden, depth, timeFeatures,
                fourierFeatures, fourierScale, or(newSteps, steps), or(newBatch, batchSize),
                or(newLearningRate, learningRate), or(newWarmup, warmupSteps), or(newEma, emaDecay), gradientClip,
                weightDecay, seed, sampler, sampleSteps, sampleGridPower, minCloud, maxCloud, fieldTile, dimension);
    }

    /** Copy with another default sampler, sampling steps, reverse-grid power and minimum cloud. */
    public AttractorConfig withSampling(String newSampler, Integer newSampleSteps, Double newSamplePower,
            Integer newMinCloud) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, estimator,
                windowFraction, controlVariate, cloudSize, resimulateEvery, hidden, depth, timeFeatures,
                fourierFeatures, fourierScale, steps, batchSize, learningRate, warmupSteps, emaDecay, gradientClip,
                weightDecay, seed, or(newSampler, sampler), or(newSampleSteps, sampleSteps),
                or(newSamplePower, sampleGridPower), or(newMinCloud, minCloud), maxCloud, fieldTile, dimension);
    }

    public AttractorConfig withSeed(Long newSeed) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, estimator,
                windowFraction, controlVariate, cloudSize, resimulateEvery, hidden, depth, timeFeatures,
                fourierFeatures, fourierScale, steps, batchSize, learningRate, warmupSteps, emaDecay, gradientClip,
                weightDecay, newSeed, sampler, sampleSteps, sampleGridPower, minCloud, maxCloud, fieldTile, dimension);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
