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

    /**
     * What decides whether requests can share one computation: two requests whose keys are non-null and equal may be
     * merged by {@link #sampleBatch}, each still getting exactly the bytes {@link #sample} gives it alone. Null when a
     * request is never merged (too large, a trajectory, or a family whose samples are coupled). Throws
     * IllegalArgumentException for options that {@link #sample} would reject, so that they are refused before any
     * merging. The default merges nothing.
     */
    default Object batchKey(SampleSpec spec) {
        return null;
    }

    /**
     * Draws samples for several requests at once; result i is bitwise what {@code sample(specs.get(i))} returns. The
     * default runs them one after the other; families that can merge requests with equal {@link #batchKey} run them
     * as one batch.
     */
    default List<SampleResult> sampleBatch(List<SampleSpec> specs) {
        List<SampleResult> results = new java.util.ArrayList<>(specs.size());
        for (SampleSpec spec : specs) {
            results.add(sample(spec));
        }
        return results;
    }

    /** Writes the weights (and anything else needed to reload with the same config) into {@code directory}. */
    void save(Path directory) throws IOException;

    @Override
    void close();
}
