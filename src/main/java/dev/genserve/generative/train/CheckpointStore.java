package dev.genserve.generative.train;

import java.io.IOException;
import java.util.Optional;

/** Durable storage for the checkpoints of one training run. */
public interface CheckpointStore {

    /** The most recent complete checkpoint, if any. */
    Optional<Checkpoint> latest() throws IOException;

    /** Stores a checkpoint so that a crash at any moment leaves either the old or the new one intact. */
    void save(Checkpoint checkpoint) throws IOException;
}
