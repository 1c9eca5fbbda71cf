package dev.genserve.sampling;

import dev.genserve.generative.Generator;
import dev.genserve.generative.data.Standardizer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generator in memory with what is needed to return data-unit samples: its standardiser, the shape of one sample
 * and its size in parameters (for {@link SampleCost}). Requests {@link #acquire} it and {@link #release} it; the cache
 * {@link #retire}s it on eviction. Nobody ever waits: a retired model is closed by whoever lets go of it last, so
 * eviction and shutdown never block on a running request, and a running request never loses its model.
 */
public final class LoadedModel {

    private final Generator generator;
    private final Standardizer standardizer;
    private final int[] sampleShape;
    private final long parameters;
    private final long bytes;
    /** Current users; -1 once closed. */
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;
    private volatile long lastUse;

    /** A model whose weights take {@code parameters} float32 values in memory. */
    public LoadedModel(Generator generator, Standardizer standardizer, int[] sampleShape, long parameters) {
        this(generator, standardizer, sampleShape, parameters, parameters * Float.BYTES);
    }

    /** A model whose weights take {@code bytes} in memory (the cache's weight for its byte bound). */
    public LoadedModel(Generator generator, Standardizer standardizer, int[] sampleShape, long parameters, long bytes) {
        this.generator = generator;
        this.standardizer = standardizer;
        this.sampleShape = sampleShape;
        this.parameters = parameters;
        this.bytes = bytes;
    }

    public Generator generator() {
        return generator;
    }

    public Standardizer standardizer() {
        return standardizer;
    }

    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Weights of the network (multiply-adds per sample per network evaluation, roughly). */
    public long parameters() {
        return parameters;
    }

    /** Bytes of its weights (their files' size: float32 parameters), what the cache's byte bound counts. */
    public long bytes() {
        return bytes;
    }

    /** The cache's recency stamp of the last acquire (larger is more recent). */
    long lastUse() {
        return lastUse;
    }

    void touch(long stamp) {
        lastUse = stamp;
    }

    /** Takes a use of the model; false if it was already closed (the caller loads it again). */
    public boolean acquire() {
        while (true) {
            int u = users.get();
            if (u < 0) {
                return false;
            }
            if (users.compareAndSet(u, u + 1)) {
                return true;
            }
        }
    }

    /** Gives a use back; the last user of a retired model closes it. */
    public void release() {
        if (users.decrementAndGet() == 0 && retired) {
            closeIfUnused();
        }
    }

    /** Marks the model for closing: at once if nobody uses it, else when its last user releases it. */
    public void retire() {
        retired = true;
        closeIfUnused();
    }

    public boolean isClosed() {
        return users.get() < 0;
    }

    private void closeIfUnused() {
        if (users.compareAndSet(0, -1)) {
            generator.close();
        }
    }
}
