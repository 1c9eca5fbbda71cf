package dev.genserve.api;

import dev.genserve.sampling.SampleWorkers;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Answers a request from a {@link SampleWorkers.Task} without holding a servlet thread: the response is written when
 * the task ends (its error, a 503 at its deadline, included), and the task is cancelled when the connection fails or
 * the container gives up on the request, so no computation outlives its client.
 */
final class AsyncResponses {

    /** Extra time the container waits beyond the task's own deadline, so that the task's 503 is what gets sent. */
    private static final long CONTAINER_SLACK_MILLIS = 10_000;

    private AsyncResponses() {}

    static <T, R> DeferredResult<R> answer(SampleWorkers.Task<T> task, SampleWorkers workers, Function<T, R> render) {
        DeferredResult<R> result = new DeferredResult<>(workers.deadline().toMillis() + CONTAINER_SLACK_MILLIS);
        result.onTimeout(task::cancel);
        result.onError(e -> task.cancel());
        task.result().whenComplete((value, error) -> {
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
}
