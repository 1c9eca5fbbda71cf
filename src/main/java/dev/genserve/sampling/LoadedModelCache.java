package dev.genserve.sampling;

import ai.djl.Device;
import dev.genserve.generative.Generator;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.registry.ArtifactStore;
import dev.genserve.registry.FamilyCatalog;
import dev.genserve.registry.ModelVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps recently used model versions loaded, bounded by count ({@code genserve.sampling.cache-size}) and by the bytes
 * of their weights ({@code genserve.sampling.cache-max-bytes}); the least recently used go first ({@link
 * ModelResidency}). A version's artifact is checked against its recorded SHA-256 before it is loaded; concurrent first
 * requests for one version load it once. An evicted model is {@link LoadedModel#retire retired} on a pool thread,
 * never waited for: requests still using it finish, and the last one closes it, which frees its native memory.
 *
 * <p>Metrics: {@code genserve.models.loaded}, hits and misses of sample requests
 * ({@code genserve.model.cache.hits}/{@code .misses}), models dropped (least recently used, or deleted:
 * {@code genserve.model.cache.evictions}) and the weight bytes of the loaded models
 * ({@code genserve.model.cache.loaded.bytes}, what the byte bound counts).
 */
@Component
public class LoadedModelCache {

    private static final Set<String> NOT_WEIGHTS = Set.of("manifest.json", "SHA256SUMS");

    private final ArtifactStore artifacts;
    private final FamilyCatalog families;
    private final Device device;
    private final JsonMapper json;
    private final ModelResidency models;

    public LoadedModelCache(ArtifactStore artifacts, FamilyCatalog families, Device device, JsonMapper json,
            MeterRegistry meters, SamplingProperties properties) {
        this.artifacts = artifacts;
        this.families = families;
        this.device = device;
        this.json = json;
        Counter hits = Counter.builder("genserve.model.cache.hits")
                .description("Sample requests that found their model loaded").register(meters);
        Counter misses = Counter.builder("genserve.model.cache.misses")
                .description("Sample requests that loaded their model").register(meters);
        Counter evictions = Counter.builder("genserve.model.cache.evictions")
                .description("Models dropped from the cache (least recently used, or deleted)").register(meters);
        this.models = new ModelResidency(properties.cacheSize(), properties.cacheMaxBytes().toBytes(),
                ForkJoinPool.commonPool(), new ModelResidency.Listener() {
                    @Override
                    public void hit() {
                        hits.increment();
                    }

                    @Override
                    public void miss() {
                        misses.increment();
                    }

                    @Override
                    public void dropped() {
                        evictions.increment();
                    }
                });
        Gauge.builder("genserve.models.loaded", models, ModelResidency::count)
                .description("Model versions loaded for sampling").register(meters);
        Gauge.builder("genserve.model.cache.loaded.bytes", models, ModelResidency::bytes)
                .description("Weight bytes of the loaded models (their parameter files)").baseUnit("bytes")
                .register(meters);
    }

    /**
     * Acquires the version's model and hands it to {@code queue}, which checks the request and queues work that
     * releases the model when it ends (pass {@code model::release} to {@link SampleWorkers}); if {@code queue}
     * throws instead, the model is released here.
     */
    public <T> T queueWith(ModelVersion version, Function<LoadedModel, T> queue) {
        LoadedModel model = acquire(version);
        boolean queued = false;
        try {
            T task = queue.apply(model);
            queued = true;
            return task;
        } finally {
            if (!queued) {
                model.release();
            }
        }
    }

    /**
     * The loaded model of a version, already {@link LoadedModel#acquire acquired} for the caller, who must
     * {@link LoadedModel#release release} it.
     */
    public LoadedModel acquire(ModelVersion version) {
        return models.acquire(version.getId(), id -> load(version));
    }

    /** Drops a version (e.g. after it is deleted); it closes once no request uses it. */
    public void evict(UUID versionId) {
        models.evict(versionId);
    }

    private LoadedModel load(ModelVersion version) {
        try {
            artifacts.verify(version.getArtifactPath(), version.getArtifactSha256());
            Path directory = artifacts.resolve(version.getArtifactPath());
            FamilyCatalog.ResolvedConfig config = families.stored(version.getFamily(), version.getConfig());
            long bytes = weightBytes(directory);
            Generator generator = config.family().load(directory, config.config(), device);
            JsonNode normalization = json.readTree(version.getNormalization());
            Standardizer standardizer = Standardizer.of(doubles(normalization.get("mean")),
                    doubles(normalization.get("std")));
            int[] shape = version.getDataShape() == null ? new int[] {generator.dimension()}
                    : json.readValue(version.getDataShape(), int[].class);
            return new LoadedModel(generator, standardizer, shape, Math.max(1, bytes / Float.BYTES), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model version " + version.getId(), e);
        }
    }

    /** Bytes of the artifact's weight files: float32 parameters, about what they take in native memory. */
    private static long weightBytes(Path directory) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && !NOT_WEIGHTS.contains(f.getFileName().toString())) {
                    bytes += Files.size(f);
                }
            }
        }
        return Math.max(Float.BYTES, bytes);
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @PreDestroy
    public void closeAll() {
        models.clear();
    }
}
