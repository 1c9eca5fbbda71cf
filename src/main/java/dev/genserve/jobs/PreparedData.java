package dev.genserve.jobs;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;

/**
 * A dataset made ready for a trainer: the standardised training split, the raw held-out split (and its labels, or
 * null) for quality metrics, the raw training split (for the train-vs-held-out floor of every metric), and the
 * fitted standardiser.
 */
public record PreparedData(TrainingData train, FloatMatrix trainRaw, FloatMatrix heldOutRaw, int[] heldOutLabels,
        Standardizer standardizer) {}
