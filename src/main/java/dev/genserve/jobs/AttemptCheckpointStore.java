package dev.genserve.jobs;

import dev.genserve.generative.train.Checkpoint;
import dev.genserve.generative.train.CheckpointStore;
import dev.genserve.generative.train.FileCheckpointStore;
import dev.genserve.registry.ArtifactStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one attempt (one lease) of a job, in {@code _jobs/<job>/attempt-<token>/}. It resumes from the
 * newest checkpoint of any earlier attempt (training is a function of (seed, step), so any attempt's checkpoint at a
 * step is that step's state), writes only into its own directory, and only while it holds the lease: an attempt that
 * lost the job never writes a checkpoint again and never deletes one of another attempt.
 */
final class AttemptCheckpointStore implements CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(AttemptCheckpointStore.class);

    private final ArtifactStore artifacts;
    private final JobLeases leases;
    private final LeaseKeeper.Held held;
    private final FileCheckpointStore own;

    AttemptCheckpointStore(ArtifactStore artifacts, JobLeases leases, LeaseKeeper.Held held) {
        this.artifacts = artifacts;
        this.leases = leases;
        this.held = held;
        this.own = new FileCheckpointStore(artifacts.attemptDirectory(held.lease().jobId(), held.lease().token()));
    }

    @Override
    public Optional<Checkpoint> latest() throws IOException {
        JobLease lease = held.lease();
        Checkpoint best = null;
        long from = -1;
        for (Map.Entry<Long, Path> attempt : artifacts.attemptDirectories(lease.jobId()).entrySet()) {
            if (attempt.getKey() > lease.token()) {
                continue; // a later attempt exists: this one has lost the job already
            }
            Optional<Checkpoint> c = new FileCheckpointStore(attempt.getValue()).latest();
            if (c.isPresent() && (best == null || c.get().step() > best.step())) {
                best = c.get();
                from = attempt.getKey();
            }
        }
        if (best != null) {
            log.info("Training job {} (attempt {}) resumes from step {} (checkpoint of attempt {})", lease.jobId(),
                    lease.token(), best.step(), from);
        }
        leases.startsAt(lease, best == null ? 0 : best.step());
        return Optional.ofNullable(best);
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        if (held.lost() || !leases.holds(held.lease())) {
            held.markLost();
            throw new LeaseLostException(held.lease());
        }
        own.save(checkpoint);
    }
}
