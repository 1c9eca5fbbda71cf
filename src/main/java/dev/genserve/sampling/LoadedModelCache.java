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
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the most recently used model versions loaded (LRU, bounded by {@code genserve.sampling.cache-size}). A
 * version's artifact is checked against its recorded SHA-256 before it is loaded; evicted models are closed, which
 * frees their native memory.
 */
@Component
public class LoadedModelCache {

    private final ArtifactStore artifacts;
    private final FamilyCatalog families;
    private final Device device;
    private final JsonMapper json;
    private final int capacity;
    private final Map<UUID, LoadedModel> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<UUID, Long> artifactBytes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter hits;
    private final Counter misses;
    private final Counter evictions;

    public LoadedModelCache(ArtifactStore artifacts, FamilyCatalog families, Device device, JsonMapper json,
            MeterRegistry meters, @Value("${genserve.sampling.cache-size:4}") int capacity) {
        this.artifacts = artifacts;
        this.families = families;
        this.device = device;
        this.json = json;
        this.capacity = Math.max(1, capacity);
        meters.gauge("genserve.models.loaded", cache, Map::size);
        this.hits = Counter.builder("genserve.model.cache.hits").description("Sample requests that found their model "
                + "loaded").register(meters);
        this.misses = Counter.builder("genserve.model.cache.misses").description("Sample requests that loaded their "
                + "model").register(meters);
        this.evictions = Counter.builder("genserve.model.cache.evictions").description("Models dropped from the "
                + "cache (least recently used, or deleted)").register(meters);
        Gauge.builder("genserve.model.cache.loaded.bytes", artifactBytes,
                        b -> b.values().stream().mapToLong(Long::longValue).sum())
                .description("Artifact bytes of the loaded models (their size on disk)").baseUnit("bytes")
                .register(meters);
    }

    /** The loaded model of a version, loading (and evicting the least recently used) if needed. */
    public LoadedModel get(ModelVersion version) {
        synchronized (cache) {
            LoadedModel hit = cache.get(version.getId());
            if (hit != null) {
                hits.increment();
                return hit;
            }
        }
        misses.increment();
        LoadedModel loaded = load(version);
        LoadedModel evicted = null;
        synchronized (cache) {
            LoadedModel raced = cache.get(version.getId());
            if (raced != null) {
                loaded.close();
                return raced;
            }
            cache.put(version.getId(), loaded);
            artifactBytes.put(version.getId(), sizeOf(artifacts.resolve(version.getArtifactPath())));
            if (cache.size() > capacity) {
                UUID eldest = cache.keySet().iterator().next();
                evicted = cache.remove(eldest);
                artifactBytes.remove(eldest);
            }
        }
        if (evicted != null) {
            evictions.increment();
            evicted.close();
        }
        return loaded;
    }

    /** Drops a version (e.g. after it is deleted). */
    public void evict(UUID versionId) {
        LoadedModel removed;
        synchronized (cache) {
            removed = cache.remove(versionId);
            artifactBytes.remove(versionId);
        }
        if (removed != null) {
            evictions.increment();
            removed.close();
        }
    }

    private LoadedModel load(ModelVersion version) {
        Path directory = artifacts.resolve(version.getArtifactPath());
        try {
            artifacts.verify(directory, version.getArtifactSha256());
            FamilyCatalog.ResolvedConfig config = families.stored(version.getFamily(), version.getConfig());
            Generator generator = config.family().load(directory, config.config(), device);
            JsonNode normalization = json.readTree(version.getNormalization());
            Standardizer standardizer = Standardizer.of(doubles(normalization.get("mean")),
                    doubles(normalization.get("std")));
            int[] shape = version.getDataShape() == null ? new int[] {generator.dimension()}
                    : json.readValue(version.getDataShape(), int[].class);
            return new LoadedModel(generator, standardizer, shape);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model version " + version.getId(), e);
        }
    }

    private static long sizeOf(Path directory) {
        try (var files = java.nio.file.Files.walk(directory)) {
            return files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
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
        synchronized (cache) {
            cache.values().forEach(LoadedModel::close);
            cache.clear();
            artifactBytes.clear();
        }
    }
}
