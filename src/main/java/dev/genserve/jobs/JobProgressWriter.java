package dev.genserve.jobs;

import ai.djl.Device;
import dev.genserve.generative.train.CheckpointStore;
import dev.genserve.generative.train.FileCheckpointStore;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link TrainingContext} of a job run by the service: writes step, loss, speed, ETA and a down-sampled loss
 * history to the job's row at most every {@code interval} (and at the end), polls the row's cancel flag, and keeps
 * checkpoints in the job's artifact directory.
 */
final class JobProgressWriter implements TrainingContext {

    private static final int MAX_HISTORY = 400;

    private final UUID jobId;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final long intervalNanos;
    private final int checkpointEvery;
    private final Path checkpointDirectory;
    private final Device device;
    private final List<double[]> history = new ArrayList<>();
    private int historyStride = 1;
    private long lastWrite;
    private long lastCancelPoll;
    private boolean cancelled;
    private TrainingProgress latest;
    private final TrainingMetrics.Run metrics;

    JobProgressWriter(UUID jobId, JdbcTemplate jdbc, JsonMapper json, long intervalMillis, int checkpointEvery,
            Path checkpointDirectory, Device device, List<double[]> previousHistory, TrainingMetrics.Run metrics) {
        this.metrics = metrics;
        this.jobId = jobId;
        this.jdbc = jdbc;
        this.json = json;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.checkpointEvery = checkpointEvery;
        this.checkpointDirectory = checkpointDirectory;
        this.device = device;
        this.history.addAll(previousHistory);
        while (history.size() > MAX_HISTORY) {
            thin();
        }
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

    /** Writes the latest progress to the job row. */
    void flush() {
        if (latest == null) {
            return;
        }
        lastWrite = System.nanoTime();
        double eta = latest.stepsPerSecond() > 0
                ? (latest.totalSteps() - latest.step()) / latest.stepsPerSecond() : Double.NaN;
        jdbc.update("update training_job set step = ?, loss = ?, ema_loss = ?, steps_per_second = ?, eta_seconds = ?,"
                        + " loss_history = cast(? as jsonb), updated_at = ? where id = ? and status = 'RUNNING'",
                latest.step(), finite(latest.loss()), finite(latest.emaLoss()), finite(latest.stepsPerSecond()),
                finite(eta), json.writeValueAsString(history), Timestamp.from(Instant.now()), jobId);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    @Override
    public boolean cancelRequested() {
        long now = System.nanoTime();
        if (!cancelled && now - lastCancelPoll > 300_000_000L) {
            lastCancelPoll = now;
            Boolean flag = jdbc.queryForObject("select cancel_requested from training_job where id = ?",
                    Boolean.class, jobId);
            cancelled = Boolean.TRUE.equals(flag);
        }
        return cancelled;
    }

    @Override
    public Optional<CheckpointStore> checkpoints() {
        return Optional.of(new FileCheckpointStore(checkpointDirectory));
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
