package dev.genserve.sampling;

import ai.djl.Device;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps recently used model versions loaded (a Caffeine cache bounded by {@code genserve.sampling.cache-size}). A
 * version's artifact is checked against its recorded SHA-256 before it is loaded; concurrent first requests for one
 * version load it once. An evicted model is {@link LoadedModel#retire retired}, never waited for: requests still using
 * it finish, and the last one closes it, which frees its native memory.
 *
 * <p>Metrics: {@code genserve.models.loaded}, hits and misses of sample requests
 * ({@code genserve.model.cache.hits}/{@code .misses}), models dropped (least recently used, or deleted:
 * {@code genserve.model.cache.evictions}) and the artifact bytes of the loaded models
 * ({@code genserve.model.cache.loaded.bytes}).
 */
@Component
public class LoadedModelCache {

    private static final Set<String> NOT_WEIGHTS = Set.of("manifest.json", "SHA256SUMS");

    private final ArtifactStore artifacts;
    private final FamilyCatalog families;
    private final Device device;
    private final JsonMapper json;
    private final Cache<UUID, LoadedModel> cache;
    private final Map<LoadedModel, Long> artifactBytes = new ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;
    private final Counter evictions;

    public LoadedModelCache(ArtifactStore artifacts, FamilyCatalog families, Device device, JsonMapper json,
            MeterRegistry meters, SamplingProperties properties) {
        this.artifacts = artifacts;
        this.families = families;
        this.device = device;
        this.json = json;
        this.hits = Counter.builder("genserve.model.cache.hits")
                .description("Sample requests that found their model loaded").register(meters);
        this.misses = Counter.builder("genserve.model.cache.misses")
                .description("Sample requests that loaded their model").register(meters);
        this.evictions = Counter.builder("genserve.model.cache.evictions")
                .description("Models dropped from the cache (least recently used, or deleted)").register(meters);
        this.cache = Caffeine.newBuilder()
                .maximumSize(Math.max(1, properties.cacheSize()))
                .removalListener((UUID id, LoadedModel model, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (model != null) {
                        artifactBytes.remove(model);
                        evictions.increment();
                        model.retire();
                    }
                })
                .build();
        meters.gauge("genserve.models.loaded", cache, Cache::estimatedSize);
        Gauge.builder("genserve.model.cache.loaded.bytes", artifactBytes,
                        b -> b.values().stream().mapToLong(Long::longValue).sum())
                .description("Artifact bytes of the loaded models (their size on disk)").baseUnit("bytes")
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
        while (true) {
            boolean[] loaded = {false};
            LoadedModel model = cache.get(version.getId(), id -> {
                loaded[0] = true;
                return load(version);
            });
            (loaded[0] ? misses : hits).increment();
            if (model.acquire()) {
                return model;
            }
            cache.asMap().remove(version.getId(), model); // closed between lookup and use: load it again
        }
    }

    /** Drops a version (e.g. after it is deleted); it closes once no request uses it. */
    public void evict(UUID versionId) {
        cache.invalidate(versionId);
    }

    private LoadedModel load(ModelVersion version) {
        try {
            artifacts.verify(version.getArtifactPath(), version.getArtifactSha256());
            Path directory = artifacts.resolve(version.getArtifactPath());
            FamilyCatalog.ResolvedConfig config = families.stored(version.getFamily(), version.getConfig());
            long parameters = parameters(directory);
            long bytes = sizeOf(directory);
            Generator generator = config.family().load(directory, config.config(), device);
            JsonNode normalization = json.readTree(version.getNormalization());
            Standardizer standardizer = Standardizer.of(doubles(normalization.get("mean")),
                    doubles(normalization.get("std")));
            int[] shape = version.getDataShape() == null ? new int[] {generator.dimension()}
                    : json.readValue(version.getDataShape(), int[].class);
            LoadedModel model = new LoadedModel(generator, standardizer, shape, parameters);
            artifactBytes.put(model, bytes);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model version " + version.getId(), e);
        }
    }

    /** Parameters, counted as the float32 values in the artifact's weight files. */
    private static long parameters(Path directory) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && !NOT_WEIGHTS.contains(f.getFileName().toString())) {
                    bytes += Files.size(f);
                }
            }
        }
        return Math.max(1, bytes / 4);
    }

    private static long sizeOf(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            long bytes = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(f);
            }
            return bytes;
        }
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
        cache.asMap().values().forEach(LoadedModel::retire);
        cache.invalidateAll();
    }
}
