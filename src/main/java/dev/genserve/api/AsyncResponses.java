package dev.genserve.api;

import dev.genserve.config.DaemonThreads;
import dev.genserve.sampling.SampleWorkers;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Answers a request from a {@link SampleWorkers.Task} without holding a servlet thread: the response is written when
 * the task ends (its error, a 503 at its deadline, included), and the task is cancelled when the client goes away
 * (its connection is probed every {@value #PROBE_MILLIS} ms, see {@link ClientConnection}), when the connection
 * fails, or when the container gives up on the request. So no computation outlives its client.
 */
final class AsyncResponses {

    /** Extra time the container waits beyond the task's own deadline, so that the task's 503 is what gets sent. */
    private static final long CONTAINER_SLACK_MILLIS = 10_000;
    static final long PROBE_MILLIS = 500;

    private static final ScheduledExecutorService PROBES = DaemonThreads.scheduler("client-connection-probe");

    private AsyncResponses() {}

    static <T, R> DeferredResult<R> answer(SampleWorkers.Task<T> task, SampleWorkers workers, Function<T, R> render) {
        DeferredResult<R> result = new DeferredResult<>(workers.deadline().toMillis() + CONTAINER_SLACK_MILLIS);
        result.onTimeout(task::cancel);
        result.onError(e -> task.cancel());
        Object lock = new Object();
        ScheduledFuture<?> probe = connectionProbe().map(gone -> PROBES.scheduleWithFixedDelay(() -> {
            synchronized (lock) {
                if (!task.result().isDone() && gone.getAsBoolean()) {
                    task.cancel();
                }
            }
        }, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS)).orElse(null);
        task.result().whenComplete((value, error) -> {
            synchronized (lock) { // no probe touches the connection once the answer is on its way
                if (probe != null) {
                    probe.cancel(false);
                }
            }
            if (error != null) {
                result.setErrorResult(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                return;
            }
            try {
                result.setResult(render.apply(value));
            } catch (RuntimeException e) {
                result.setErrorResult(e);
            }
        });
        return result;
    }

    private static Optional<BooleanSupplier> connectionProbe() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return ClientConnection.gone(attributes.getRequest());
        }
        return Optional.empty();
    }
}
