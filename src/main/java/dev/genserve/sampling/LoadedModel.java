package dev.genserve.sampling;

import dev.genserve.generative.Generator;
import dev.genserve.generative.data.Standardizer;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A generator in memory with what is needed to return data-unit samples: its standardiser and the shape of one
 * sample. Sampling holds the read lock; eviction takes the write lock before closing, so an evicted model is never
 * closed under a running request.
 */
public final class LoadedModel implements AutoCloseable {

    private final Generator generator;
    private final Standardizer standardizer;
    private final int[] sampleShape;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    public LoadedModel(Generator generator, Standardizer standardizer, int[] sampleShape) {
        this.generator = generator;
        this.standardizer = standardizer;
        this.sampleShape = sampleShape;
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

    /** Runs {@code work} while the model cannot be closed; false if it was already closed (caller reloads). */
    public boolean use(Runnable work) {
        lock.readLock().lock();
        try {
            if (closed) {
                return false;
            }
            work.run();
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                generator.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
