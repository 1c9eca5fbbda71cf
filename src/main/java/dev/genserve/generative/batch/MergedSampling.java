package dev.genserve.generative.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.genserve.generative.Generator;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.sampling.ReverseSampler;
import dev.genserve.generative.sde.ScoreFunction;
import dev.genserve.generative.sde.Sde;
import java.util.ArrayList;
import java.util.List;

/**
 * Several reverse-SDE sample requests with one sampler and step count run as one: each request draws its prior from
 * its own seed, exactly as alone; the priors are stacked; the sampler integrates the stack with a
 * {@link MergedRandomSource} (each request's step noise from its own stream) and a score evaluated in
 * {@link RowChunks}; the result is cut back per request. A single request takes the same path, so a request's bytes
 * do not depend on whether it was merged.
 */
public final class MergedSampling {

    private MergedSampling() {}

    /** The {@link Generator#batchKey} all the requests share, or null when they do not all have one and the same. */
    public static Object sharedKey(Generator generator, List<SampleSpec> specs) {
        Object key = null;
        for (SampleSpec spec : specs) {
            Object k = generator.batchKey(spec);
            if (k == null || (key != null && !key.equals(k))) {
                return null;
            }
            key = k;
        }
        return key;
    }

    /** Runs {@code specs} (all n ≤ the chunks' request limit, no trajectories) through {@code sampler} in {@code scope}. */
    public static List<SampleResult> reverse(NDManager scope, Sde sde, ReverseSampler sampler, int steps, int dimension,
            ScoreFunction chunkedScore, List<SampleSpec> specs) {
        BatchRows rows = BatchRows.of(specs);
        List<RandomSource> sources = new ArrayList<>(specs.size());
        NDList priors = new NDList();
        for (SampleSpec spec : specs) {
            RandomSource random = new RandomSource(spec.seed());
            sources.add(random);
            priors.add(sde.samplePrior(scope, spec.n(), dimension, random));
        }
        NDArray start = priors.size() == 1 ? priors.get(0) : NDArrays.concat(priors, 0);
        if (priors.size() > 1) {
            priors.close();
        }
        RandomSource noise = sources.size() == 1 ? sources.get(0) : new MergedRandomSource(sources, rows.rows());
        return rows.split(sampler.sample(sde, chunkedScore, start, steps, noise, 0));
    }
}
