package dev.genserve.generative;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained model that turns noise into samples. It owns native memory (its NDManager), so it must be closed.
 * Implementations are safe to sample from concurrently: each call works in its own NDManager scope.
 */
public interface Generator extends AutoCloseable {

    /** Dimension D of one sample (C·H·W for images). */
    int dimension();

    /** The sampler names this generator accepts; the first is the default. Empty for one-step generators. */
    List<String> samplers();

    /** Draws samples; throws IllegalArgumentException for options that do not fit the family. */
    SampleResult sample(SampleSpec spec);

    /** Writes the weights (and anything else needed to reload with the same config) into {@code directory}. */
    void save(Path directory) throws IOException;

    @Override
    void close();
}
