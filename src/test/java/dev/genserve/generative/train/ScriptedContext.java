package dev.genserve.generative.train;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test {@link TrainingContext} that keeps checkpoints in an optional directory and asks to cancel once step
 * {@code cancelAt} has been reported (−1: never): the script of every checkpoint/resume test.
 */
public final class ScriptedContext implements TrainingContext {

    private final Path checkpoints;
    private final int checkpointEvery;
    private final int cancelAt;
    private final AtomicInteger reported = new AtomicInteger();

    public ScriptedContext(Path checkpoints, int checkpointEvery, int cancelAt) {
        this.checkpoints = checkpoints;
        this.checkpointEvery = checkpointEvery;
        this.cancelAt = cancelAt;
    }

    @Override
    public void report(TrainingProgress progress) {
        reported.set(progress.step());
    }

    @Override
    public boolean cancelRequested() {
        return reported.get() == cancelAt;
    }

    @Override
    public Optional<CheckpointStore> checkpoints() {
        return Optional.ofNullable(checkpoints).map(FileCheckpointStore::new);
    }

    @Override
    public int checkpointEvery() {
        return checkpointEvery;
    }
}
