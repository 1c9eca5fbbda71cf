package dev.genserve.generative.attractor;

/**
 * Configuration of the attractor family; null fields take the defaults filled in by
 * {@link AttractorFamily#resolve}. Process: α (alpha), β (beta), λ (lambda), δ (delta), T (horizon), K
 * (simulationSteps) on the grid t_k = T (k/K)^p (timeGridPower). Training: cloudSize particles per forward
 * simulation, a fresh simulation every resimulateEvery steps (0 = one simulation), noiseDraws noise draws per
 * sampled state, and the shared optimiser settings. Sampling: clouds of at least minCloud and at most maxCloud
 * particles; F computed in tiles of fieldTile query rows. dimension is recorded from the data.
 */
public record AttractorConfig(
        Double alpha,
        Double beta,
        Double lambda,
        Double delta,
        Double horizon,
        Integer simulationSteps,
        Double timeGridPower,
        Integer cloudSize,
        Integer resimulateEvery,
        Integer noiseDraws,
        Integer hidden,
        Integer depth,
        Integer timeFeatures,
        Integer steps,
        Integer batchSize,
        Double learningRate,
        Integer warmupSteps,
        Double emaDecay,
        Double gradientClip,
        Double weightDecay,
        Long seed,
        Integer minCloud,
        Integer maxCloud,
        Integer fieldTile,
        Integer dimension) {

    /** A config with every field null (all defaults). */
    public static AttractorConfig defaults() {
        return new AttractorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The forward-process parameters of a resolved config. */
    public ProcessParameters process() {
        return new ProcessParameters(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower);
    }

    /** Copy with a different network/training budget (hidden, depth, steps, batchSize). */
    public AttractorConfig withTraining(Integer newHidden, Integer newDepth, Integer newSteps, Integer newBatch) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, cloudSize,
                resimulateEvery, noiseDraws, newHidden, newDepth, timeFeatures, newSteps, newBatch, learningRate,
                warmupSteps, emaDecay, gradientClip, weightDecay, seed, minCloud, maxCloud, fieldTile, dimension);
    }

    public AttractorConfig withNoiseDraws(Integer draws) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, cloudSize,
                resimulateEvery, draws, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, weightDecay, seed, minCloud, maxCloud, fieldTile, dimension);
    }

    public AttractorConfig withSeed(Long newSeed) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, cloudSize,
                resimulateEvery, noiseDraws, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, weightDecay, newSeed, minCloud, maxCloud, fieldTile, dimension);
    }

    public AttractorConfig withCloud(Integer newCloudSize, Integer newMinCloud) {
        return new AttractorConfig(alpha, beta, lambda, delta, horizon, simulationSteps, timeGridPower, newCloudSize,
                resimulateEvery, noiseDraws, hidden, depth, timeFeatures, steps, batchSize, learningRate, warmupSteps,
                emaDecay, gradientClip, weightDecay, seed, newMinCloud, maxCloud, fieldTile, dimension);
    }
}
