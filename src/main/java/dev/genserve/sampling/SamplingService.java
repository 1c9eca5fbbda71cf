package dev.genserve.sampling;

import dev.genserve.api.PayloadTooLargeException;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.registry.ModelRegistry;
import dev.genserve.registry.ModelVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Draws samples from a model version: resolves the reference (number, latest or alias), enforces the size limit,
 * runs the generator from the loaded-model cache, and maps samples back to data units.
 */
@Service
public class SamplingService {

    private final ModelRegistry registry;
    private final LoadedModelCache cache;
    private final MeterRegistry meters;
    private final int maxSamples;
    private final long maxValues;
    private final SecureRandom seeds = new SecureRandom();

    public SamplingService(ModelRegistry registry, LoadedModelCache cache, MeterRegistry meters,
            @Value("${genserve.sampling.max-n:100000}") int maxSamples,
            @Value("${genserve.sampling.max-values:50000000}") long maxValues) {
        this.registry = registry;
        this.cache = cache;
        this.meters = meters;
        this.maxSamples = maxSamples;
        this.maxValues = maxValues;
    }

    public SampleOutput sample(String modelName, String reference, SampleRequest request) {
        ModelVersion version = registry.resolve(modelName, reference);
        int n = request.n() == null ? 1 : request.n();
        if (n < 1) {
            throw new IllegalArgumentException("n must be ≥ 1, got " + n);
        }
        if (n > maxSamples) {
            throw new PayloadTooLargeException("n = " + n + " exceeds the limit of " + maxSamples
                    + " samples per request (genserve.sampling.max-n)");
        }
        long seed = request.seed() != null ? request.seed() : seeds.nextLong() >>> 1;
        int trajectory = request.trajectory() == null ? 0 : request.trajectory();
        SampleSpec spec = new SampleSpec(n, seed, request.sampler(), request.steps(), request.guidance(),
                request.classLabel(), trajectory);
        for (int attempt = 0; attempt < 3; attempt++) {
            LoadedModel model = cache.get(version);
            long dimension = model.generator().dimension();
            if (dimension * n * (1L + trajectory) > maxValues) {
                throw new PayloadTooLargeException("n × dimension × (1 + trajectory) = " + dimension * n * (1L + trajectory)
                        + " values exceeds the limit of " + maxValues + " (genserve.sampling.max-values)");
            }
            AtomicReference<SampleResult> result = new AtomicReference<>();
            long start = System.nanoTime();
            boolean ran = model.use(() -> result.set(model.generator().sample(spec)));
            if (!ran) {
                continue; // evicted between lookup and use: load again
            }
            long nanos = System.nanoTime() - start;
            SampleResult r = result.get();
            List<SampleResult.Snapshot> snapshots = new ArrayList<>();
            for (SampleResult.Snapshot s : r.trajectory()) {
                snapshots.add(new SampleResult.Snapshot(s.t(), model.standardizer().inverse(s.points())));
            }
            return new SampleOutput(modelName, version.getVersion(), version.getFamily(), seed, model.sampleShape(),
                    model.standardizer().inverse(r.samples()), r.functionEvaluations(), snapshots, nanos / 1e6);
        }
        throw new IllegalStateException("model version kept being evicted while loading; retry");
    }
}
