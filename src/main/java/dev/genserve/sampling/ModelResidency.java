package dev.genserve.sampling;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The loaded models, bounded by count ({@code maxModels}) and by weight bytes ({@code maxBytes}, the sum of
 * {@link LoadedModel#bytes()}), dropping the least recently acquired first. The most recently acquired model always
 * stays, even when it alone is larger than {@code maxBytes}: the request that loaded it is using it.
 *
 * <p>Caffeine holds the entries (one load per key however many requests ask at once; removals reported on
 * {@code executor}), but recency is kept here, not by Caffeine's {@code maximumWeight}: Caffeine admits by frequency
 * (W-TinyLFU), so with room for one model a newly loaded one loses to the resident one and is dropped at once; every
 * request for a newly trained version would load and verify it again. A dropped model is only
 * {@link LoadedModel#retire retired}, on {@code executor}: nobody waits, a request that holds it keeps it, and its
 * last user closes it.
 */
final class ModelResidency {

    /** Counts lookups that found their model loaded, lookups that loaded it, and models dropped. */
    interface Listener {
        void hit();

        void miss();

        void dropped();
    }

    private final Cache<UUID, LoadedModel> models;
    private final int maxModels;
    private final long maxBytes;
    private final Listener listener;
    private final AtomicLong clock = new AtomicLong();

    ModelResidency(int maxModels, long maxBytes, Executor executor, Listener listener) {
        this.maxModels = Math.max(1, maxModels);
        this.maxBytes = Math.max(1, maxBytes);
        this.listener = listener;
        this.models = Caffeine.newBuilder()
                .executor(executor)
                .removalListener((UUID id, LoadedModel model, RemovalCause cause) -> {
                    if (model != null) {
                        listener.dropped();
                        model.retire();
                    }
                })
                .build();
    }

    /**
     * The model of {@code id}, loaded by {@code loader} if absent, already {@link LoadedModel#acquire acquired} for
     * the caller (who must release it). Loading trims the others to the bounds.
     */
    LoadedModel acquire(UUID id, Function<UUID, LoadedModel> loader) {
        while (true) {
            boolean[] loaded = {false};
            LoadedModel model = models.get(id, key -> {
                loaded[0] = true;
                LoadedModel m = loader.apply(key);
                m.touch(clock.incrementAndGet()); // the newest: a concurrent trim keeps it
                return m;
            });
            if (loaded[0]) {
                listener.miss();
            } else {
                listener.hit();
            }
            if (model.acquire()) {
                model.touch(clock.incrementAndGet());
                if (loaded[0]) {
                    trim();
                }
                return model;
            }
            models.asMap().remove(id, model); // closed between lookup and use: load it again
        }
    }

    /** Drops {@code id}; it closes once no request uses it. */
    void evict(UUID id) {
        models.invalidate(id);
    }

    /** Drops every model (each closes once no request uses it). */
    void clear() {
        models.asMap().values().forEach(LoadedModel::retire); // now, not on the executor: this is shutdown
        models.invalidateAll();
        models.cleanUp();
    }

    long count() {
        return models.asMap().size();
    }

    long bytes() {
        return models.asMap().values().stream().mapToLong(LoadedModel::bytes).sum();
    }

    boolean contains(UUID id) {
        return models.asMap().containsKey(id);
    }

    /**
     * Drops least recently acquired models until both bounds hold or one model is left. Holds a lock for a scan of
     * the few entries, never for a load or a close.
     */
    private synchronized void trim() {
        Map<UUID, LoadedModel> map = models.asMap();
        while (map.size() > 1 && (map.size() > maxModels || bytes() > maxBytes)) {
            Optional<Map.Entry<UUID, LoadedModel>> oldest = map.entrySet().stream()
                    .min(Comparator.comparingLong(e -> e.getValue().lastUse()));
            if (oldest.isEmpty()) {
                return;
            }
            map.remove(oldest.get().getKey(), oldest.get().getValue());
        }
    }
}
