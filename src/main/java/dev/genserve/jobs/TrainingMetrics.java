package dev.genserve.jobs;

import dev.genserve.generative.train.TrainingProgress;
import dev.genserve.registry.FamilyCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Operator metrics of training (Prometheus names in brackets):
 * <ul>
 *   <li>jobs by family and state, from the database, so every replica reports the whole queue
 *       [{@code genserve_jobs{family,state}}], and the queue depth [{@code genserve_jobs_queue_depth}];</li>
 *   <li>of the job this replica runs: steps/s, current loss and EMA loss per family
 *       [{@code genserve_training_steps_per_second}, {@code genserve_training_loss}, {@code genserve_training_ema_loss}]
 *       and steps done [{@code genserve_training_steps_total}];</li>
 *   <li>job duration by family and outcome, as a histogram [{@code genserve_training_duration_seconds}].</li>
 * </ul>
 * The database counts are read at most every {@link #REFRESH} (on scrape), not once per gauge.
 */
@Component
public class TrainingMetrics {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private final TrainingJobRepository jobs;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private volatile Map<String, Long> counts = Map.of();
    private volatile long countedAt;

    public TrainingMetrics(MeterRegistry meters, TrainingJobRepository jobs, FamilyCatalog families) {
        this.meters = meters;
        this.jobs = jobs;
        for (String family : families.ids()) {
            for (JobStatus status : JobStatus.values()) {
                String key = family + "/" + status.name();
                Gauge.builder("genserve.jobs", this, m -> m.count(key))
                        .description("Training jobs in the database by family and state")
                        .tag("family", family).tag("state", status.name().toLowerCase()).register(meters);
            }
            Live state = new Live();
            live.put(family, state);
            Gauge.builder("genserve.training.steps.per.second", state, s -> s.stepsPerSecond)
                    .description("Training speed of the job this replica runs (NaN when idle)")
                    .tag("family", family).register(meters);
            Gauge.builder("genserve.training.loss", state, s -> s.loss)
                    .description("Current loss of the job this replica runs (NaN when idle)")
                    .tag("family", family).register(meters);
            Gauge.builder("genserve.training.ema.loss", state, s -> s.emaLoss)
                    .description("Moving average of the loss of the job this replica runs (NaN when idle)")
                    .tag("family", family).register(meters);
        }
        Gauge.builder("genserve.jobs.queue.depth", this, m -> m.queued())
                .description("Training jobs waiting for a worker (all families)").register(meters);
    }

    /** Starts metering one run of a job on this replica. */
    public Run start(String family) {
        return new Run(family, live.computeIfAbsent(family, f -> new Live()), System.nanoTime());
    }

    private double count(String key) {
        refresh();
        return counts.getOrDefault(key, 0L);
    }

    private double queued() {
        refresh();
        return counts.entrySet().stream().filter(e -> e.getKey().endsWith("/" + JobStatus.QUEUED.name()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private void refresh() {
        long now = System.nanoTime();
        if (now - countedAt < REFRESH.toNanos() && countedAt != 0) {
            return;
        }
        synchronized (this) {
            if (now - countedAt < REFRESH.toNanos() && countedAt != 0) {
                return;
            }
            Map<String, Long> fresh = new ConcurrentHashMap<>();
            for (Object[] row : jobs.countByFamilyAndStatus()) {
                fresh.put(row[0] + "/" + row[1], ((Number) row[2]).longValue());
            }
            counts = fresh;
            countedAt = System.nanoTime();
        }
    }

    /** Live values of the job a replica runs for one family. */
    private static final class Live {
        volatile double stepsPerSecond = Double.NaN;
        volatile double loss = Double.NaN;
        volatile double emaLoss = Double.NaN;
    }

    /** One run of a job: progress as it trains, and its duration when it ends. */
    public final class Run {

        private final String family;
        private final Live state;
        private final long started;
        private final Counter steps;
        private final AtomicLong lastStep = new AtomicLong(-1);

        private Run(String family, Live state, long started) {
            this.family = family;
            this.state = state;
            this.started = started;
            this.steps = Counter.builder("genserve.training.steps").description("Training steps done on this replica")
                    .tag("family", family).register(meters);
        }

        void progress(TrainingProgress p) {
            state.stepsPerSecond = p.stepsPerSecond();
            state.loss = p.loss();
            state.emaLoss = p.emaLoss();
            long before = lastStep.getAndSet(p.step());
            if (before >= 0 && p.step() > before) {
                steps.increment(p.step() - before);
            }
        }

        /**
         * The run ended on this replica: {@code succeeded}, {@code failed}, {@code cancelled}, {@code interrupted}
         * (it resumes later, here or elsewhere) or {@code lease_lost} (another replica took the job over).
         */
        void end(String outcome) {
            state.stepsPerSecond = Double.NaN;
            state.loss = Double.NaN;
            state.emaLoss = Double.NaN;
            Timer.builder("genserve.training.duration").description("Wall time of a training run on this replica")
                    .tag("family", family).tag("outcome", outcome).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(24))
                    .register(meters).record(Duration.ofNanos(System.nanoTime() - started));
            countedAt = 0; // the next scrape sees the new state at once
        }
    }
}
