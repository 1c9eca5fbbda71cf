package dev.genserve.jobs;

import ai.djl.Device;
import dev.genserve.generative.train.CheckpointStore;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link TrainingContext} of a job run by the service: writes step, loss, speed, ETA and a down-sampled loss
 * history to the job's row at most every {@code interval} (and at the end), conditional on the lease; asks the loop
 * to stop when a cancel was requested, when the lease was lost, or when the thread was interrupted (and remembers
 * which, see {@link #stopReason()}); and keeps checkpoints per attempt ({@link AttemptCheckpointStore}).
 */
final class JobProgressWriter implements TrainingContext {

    /** Why the loop was asked to stop. */
    enum StopReason { NONE, CANCEL_REQUESTED, LEASE_LOST, INTERRUPTED }

    private static final int MAX_HISTORY = 400;
    private static final long POLL_NANOS = 300_000_000L;

    private final JobLeases leases;
    private final LeaseKeeper.Held held;
    private final JsonMapper json;
    private final long intervalNanos;
    private final int checkpointEvery;
    private final CheckpointStore checkpoints;
    private final Device device;
    private final List<double[]> history = new ArrayList<>();
    private int historyStride = 1;
    private long lastWrite;
    private long lastPoll;
    private volatile StopReason stop = StopReason.NONE;
    private TrainingProgress latest;
    private final TrainingMetrics.Run metrics;

    JobProgressWriter(JobLeases leases, LeaseKeeper.Held held, JsonMapper json, long intervalMillis, int checkpointEvery,
            CheckpointStore checkpoints, Device device, List<double[]> previousHistory, TrainingMetrics.Run metrics) {
        this.leases = leases;
        this.held = held;
        this.metrics = metrics;
        this.json = json;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.checkpointEvery = checkpointEvery;
        this.checkpoints = checkpoints;
        this.device = device;
        this.history.addAll(previousHistory);
        while (history.size() > MAX_HISTORY) {
            thin();
        }
    }

    StopReason stopReason() {
        return held.lost() ? StopReason.LEASE_LOST : stop;
    }

    @Override
    public void report(TrainingProgress progress) {
        latest = progress;
        metrics.progress(progress);
        if (progress.step() % historyStride == 0) {
            history.removeIf(point -> point[0] >= progress.step());
            history.add(new double[] {progress.step(), progress.loss(), progress.emaLoss()});
            if (history.size() > MAX_HISTORY) {
                thin();
            }
        }
        long now = System.nanoTime();
        if (now - lastWrite >= intervalNanos || progress.step() == progress.totalSteps()) {
            flush();
        }
    }

    /** Halves the history and doubles the stride, keeping it bounded however long the run. */
    private void thin() {
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < history.size(); i += 2) {
            kept.add(history.get(i));
        }
        history.clear();
        history.addAll(kept);
        historyStride *= 2;
    }

    /** Writes the latest progress to the job row, if this replica still holds the lease. */
    void flush() {
        if (latest == null || held.lost()) {
            return;
        }
        lastWrite = System.nanoTime();
        double eta = latest.stepsPerSecond() > 0
                ? (latest.totalSteps() - latest.step()) / latest.stepsPerSecond() : Double.NaN;
        if (!leases.progress(held.lease(), latest.step(), finite(latest.loss()), finite(latest.emaLoss()),
                finite(latest.stepsPerSecond()), finite(eta), json.writeValueAsString(history))) {
            held.markLost();
        }
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    @Override
    public boolean cancelRequested() {
        if (held.lost()) {
            return true;
        }
        if (Thread.currentThread().isInterrupted()) {
            stop = StopReason.INTERRUPTED;
            return true;
        }
        long now = System.nanoTime();
        if (stop == StopReason.NONE && now - lastPoll > POLL_NANOS) {
            lastPoll = now;
            JobLeases.Poll poll = leases.poll(held.lease());
            if (!poll.held()) {
                held.markLost();
            } else if (poll.cancelRequested()) {
                stop = StopReason.CANCEL_REQUESTED;
            }
        }
        return held.lost() || stop != StopReason.NONE;
    }

    @Override
    public Optional<CheckpointStore> checkpoints() {
        return Optional.of(checkpoints);
    }

    @Override
    public int checkpointEvery() {
        return checkpointEvery;
    }

    @Override
    public Device device() {
        return device;
    }
}
