package dev.genserve.generative;

import ai.djl.Device;
import dev.genserve.generative.train.TrainingContext;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One family of generators (diffusion, drifting, attractor): its typed configuration, how to train a generator
 * from data, and how to load a saved one. The service stores the config as JSON, so {@code C} is a record whose
 * null fields take the family's defaults.
 *
 * @param <C> the family's configuration record
 */
public interface GeneratorFamily<C> {

    /** Stable id used in the API and in manifests: "diffusion", "drifting" or "attractor". */
    String id();

    Class<C> configType();

    /**
     * Fills defaults, validates (throwing IllegalArgumentException that names the bad field), and records what
     * the data decides (dimension, classes, image shape) so that {@link #load} needs nothing but the config.
     */
    C resolve(C config, TrainingData data);

    /** The training steps the resolved config will run, for progress and ETA. */
    int totalSteps(C resolved);

    /** The seed of the resolved config. */
    long seed(C resolved);

    /** Trains a generator; the caller owns (and closes) the result. */
    Generator train(TrainingData data, C resolved, TrainingContext context);

    /** Loads what {@link Generator#save} wrote for this resolved config. */
    Generator load(Path directory, C resolved, Device device) throws IOException;
}
