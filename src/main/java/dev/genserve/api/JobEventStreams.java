package dev.genserve.api;

import dev.genserve.config.DaemonThreads;
import dev.genserve.errors.ServiceBusyException;
import dev.genserve.jobs.TrainingJob;
import dev.genserve.jobs.TrainingJobRepository;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events of job progress. One poller thread reads the rows of every watched job (one query per round,
 * whichever replica trains them: progress lives in the database) and sends a {@code progress} event whenever a row
 * changed, then {@code end} when the job is over and closes the stream. A comment line every 15 s keeps proxies
 * from closing an idle stream. The number of open streams is bounded (503 beyond).
 */
@Component
public class JobEventStreams {

    private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final TrainingJobRepository jobs;
    private final int maxStreams;
    private final long timeoutMillis;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = DaemonThreads.scheduler("job-events");

    public JobEventStreams(TrainingJobRepository jobs,
            @Value("${genserve.api.max-event-streams:100}") int maxStreams,
            @Value("${genserve.api.event-poll-ms:500}") long pollMillis,
            @Value("${genserve.api.event-stream-timeout-ms:1800000}") long timeoutMillis) {
        this.jobs = jobs;
        this.maxStreams = maxStreams;
        this.timeoutMillis = timeoutMillis;
        poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Opens a stream on a job: its current state at once, then every change, then {@code end}. */
    public SseEmitter open(TrainingJob job, Function<TrainingJob, Object> view) {
        if (streams.size() >= maxStreams) {
            throw new ServiceBusyException("event-streams-full", "too many open event streams (" + maxStreams
                    + ", genserve.api.max-event-streams); poll GET /api/v1/jobs/{id} instead", 5);
        }
        SseEmitter emitter = new SseEmitter(timeoutMillis);
        Stream stream = new Stream(job.getId(), emitter, view);
        emitter.onCompletion(() -> streams.remove(stream));
        emitter.onTimeout(() -> streams.remove(stream));
        emitter.onError(e -> streams.remove(stream));
        if (stream.send(job)) {
            streams.add(stream);
        }
        return emitter;
    }

    private void poll() {
        try {
            if (streams.isEmpty()) {
                return;
            }
            List<UUID> ids = streams.stream().map(Stream::jobId).distinct().toList();
            Map<UUID, TrainingJob> rows = jobs.findAllById(ids).stream()
                    .collect(Collectors.toMap(TrainingJob::getId, Function.identity()));
            for (Stream stream : streams) {
                TrainingJob row = rows.get(stream.jobId());
                if (row == null) {
                    stream.emitter().complete();
                    streams.remove(stream);
                } else if (!stream.send(row)) {
                    streams.remove(stream);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Job event poll failed: {}", e.toString());
        }
    }

    @PreDestroy
    void close() {
        poller.shutdownNow();
        streams.forEach(s -> s.emitter().complete());
        streams.clear();
    }

    /** One open stream and what it last sent. */
    private static final class Stream {
        private final UUID jobId;
        private final SseEmitter emitter;
        private final Function<TrainingJob, Object> view;
        private Instant lastUpdate;
        private long lastSend = System.nanoTime();

        Stream(UUID jobId, SseEmitter emitter, Function<TrainingJob, Object> view) {
            this.jobId = jobId;
            this.emitter = emitter;
            this.view = view;
        }

        UUID jobId() {
            return jobId;
        }

        SseEmitter emitter() {
            return emitter;
        }

        /** Sends what changed; false once the stream is over (job ended, or the client went away). */
        synchronized boolean send(TrainingJob job) {
            try {
                boolean changed = lastUpdate == null || !lastUpdate.equals(job.getUpdatedAt());
                if (changed) {
                    lastUpdate = job.getUpdatedAt();
                    lastSend = System.nanoTime();
                    emitter.send(SseEmitter.event().name("progress").id(Integer.toString(job.getStep()))
                            .data(view.apply(job), MediaType.APPLICATION_JSON));
                } else if (System.nanoTime() - lastSend > HEARTBEAT_NANOS) {
                    lastSend = System.nanoTime();
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                }
                if (job.getStatus().isTerminal()) {
                    emitter.send(SseEmitter.event().name("end").data(job.getStatus().name()));
                    emitter.complete();
                    return false;
                }
                return true;
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
                return false;
            }
        }
    }
}
