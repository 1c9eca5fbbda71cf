package dev.genserve.sampling;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.PayloadTooLargeException;
import dev.genserve.errors.WorkBudgetExceededException;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.processes.SnapshotStripEncoder;
import dev.genserve.registry.ModelRegistry;
import dev.genserve.registry.ModelVersion;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Draws samples from a model version: resolves the reference (number, latest or alias), checks the request against
 * the limits before any work (n, values, format, and the work budget of {@link SampleCost}), and runs the generator
 * in the {@link SampleWorkers} bulkhead, with a deadline and cancellation, mapping samples back to data units.
 * Requests that the generator can merge ({@link dev.genserve.generative.Generator#batchKey}) go through the
 * {@link SampleBatcher}, the others straight to the bulkhead.
 */
@Service
public class SamplingService {

    /** The encodings a request may ask for; trajectories exist in JSON only. */
    public enum Format { JSON, CSV, NPY, PNG }

    private final ModelRegistry registry;
    private final LoadedModelCache cache;
    private final SampleWorkers workers;
    private final SampleBatcher batcher;
    private final SamplingProperties limits;
    private final JsonMapper json;
    private final SecureRandom seeds = new SecureRandom();

    public SamplingService(ModelRegistry registry, LoadedModelCache cache, SampleWorkers workers,
            SampleBatcher batcher, SamplingProperties limits, JsonMapper json) {
        this.registry = registry;
        this.cache = cache;
        this.workers = workers;
        this.batcher = batcher;
        this.limits = limits;
        this.json = json;
    }

    /**
     * Checks the request and queues it. Everything a client can get wrong is answered here, before any work: 400
     * (options), 413 (n, values), 422 (work budget), 503 (bulkhead full). The task's result fails with a 503 when the
     * deadline passes; cancelling the task stops the computation.
     */
    public SampleWorkers.Task<SampleOutput> submit(String modelName, String reference, SampleRequest request, Format format) {
        ModelVersion version = registry.resolve(modelName, reference);
        int n = request.n() == null ? 1 : request.n();
        if (n < 1) {
            throw new InvalidInputException("n must be ≥ 1, got " + n);
        }
        if (n > limits.maxN()) {
            throw new PayloadTooLargeException("n = " + n + " exceeds the limit of " + limits.maxN()
                    + " samples per request (genserve.sampling.max-n)");
        }
        int trajectory = request.trajectory() == null ? 0 : request.trajectory();
        if (trajectory != 0 && format != Format.JSON && format != Format.PNG) {
            throw new InvalidInputException("trajectory is returned only in application/json (or drawn as a strip in "
                    + "image/png for vector data); ask for JSON, or leave trajectory out for "
                    + format.name().toLowerCase() + " output");
        }
        long seed = request.seed() != null ? request.seed() : seeds.nextLong() >>> 1;
        SampleSpec spec = InvalidInputException.fromCore(() -> new SampleSpec(n, seed, request.sampler(),
                request.steps(), request.guidance(), request.classLabel(), trajectory));
        return cache.queueWith(version, model -> {
            check(version, model, spec, format);
            Object key = batcher.properties().enabled()
                    ? InvalidInputException.fromCore(() -> model.generator().batchKey(spec)) : null;
            return key != null
                    ? batcher.submit(model, key, spec, (r, nanos) -> output(modelName, version, model, spec, r, nanos),
                            model::release)
                    : workers.submit(() -> run(modelName, version, model, spec), model::release);
        });
    }

    private void check(ModelVersion version, LoadedModel model, SampleSpec spec, Format format) {
        long dimension = model.generator().dimension();
        long values = dimension * spec.n() * (1L + spec.trajectory());
        if (values > limits.maxValues()) {
            throw new PayloadTooLargeException("n × dimension × (1 + trajectory) = " + values
                    + " values exceeds the limit of " + limits.maxValues() + " (genserve.sampling.max-values)");
        }
        if (format == Format.PNG && spec.trajectory() != 0 && (model.sampleShape().length != 1
                || !SnapshotStripEncoder.supports((int) dimension))) {
            throw new InvalidInputException("a trajectory in image/png is drawn for vector samples with at least 2 "
                    + "columns; this model's samples have shape " + Arrays.toString(model.sampleShape())
                    + ": ask for application/json");
        }
        if (format == Format.PNG && !PngEncoder.supports(model.sampleShape())) {
            throw new InvalidInputException("image/png needs image samples (1 or 3 channels) or 2-D samples; this "
                    + "model's samples have shape " + Arrays.toString(model.sampleShape())
                    + ": ask for application/json, text/csv or application/x-npy");
        }
        SampleCost.Estimate cost = SampleCost.estimate(version.getFamily(), json.readTree(version.getConfig()), spec,
                model.parameters(), (int) dimension);
        if (cost.multiplyAdds() > limits.maxCost()) {
            throw new WorkBudgetExceededException(String.format(java.util.Locale.ROOT,
                    "This request would cost about %.3g multiply-adds (n = %d × %d network evaluations × %d parameters), "
                            + "more than the budget of %.3g per request (genserve.sampling.max-cost): ask for fewer "
                            + "samples or steps, or split the request.", cost.multiplyAdds(), spec.n(),
                    cost.evaluationsPerSample(), model.parameters(), limits.maxCost()),
                    cost.multiplyAdds(), limits.maxCost(), "genserve.sampling.max-cost");
        }
    }

    private SampleOutput run(String modelName, ModelVersion version, LoadedModel model, SampleSpec spec) {
        long start = System.nanoTime();
        SampleResult r = InvalidInputException.fromCore(() -> model.generator().sample(spec));
        return output(modelName, version, model, spec, r, System.nanoTime() - start);
    }

    /** The answer in data units; {@code nanos} is the time the computation (alone or merged) took. */
    private SampleOutput output(String modelName, ModelVersion version, LoadedModel model, SampleSpec spec,
            SampleResult r, long nanos) {
        List<SampleResult.Snapshot> snapshots = new ArrayList<>();
        for (SampleResult.Snapshot s : r.trajectory()) {
            snapshots.add(new SampleResult.Snapshot(s.t(), model.standardizer().inverse(s.points())));
        }
        return new SampleOutput(modelName, version.getVersion(), version.getFamily(), spec.seed(), model.sampleShape(),
                model.standardizer().inverse(r.samples()), r.functionEvaluations(), snapshots, nanos / 1e6,
                r.labels());
    }
}
