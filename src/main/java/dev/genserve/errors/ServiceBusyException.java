package dev.genserve.errors;

import java.util.Map;

/**
 * The service cannot take or finish this request now: the bulkhead is full, or the request ran past its deadline
 * and was cancelled. 503 with {@code Retry-After}; the request itself was within the limits.
 */
public class ServiceBusyException extends ServiceException {

    private final String reason;
    private final long retryAfterSeconds;

    public ServiceBusyException(String reason, String message, long retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public int status() {
        return 503;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("reason", reason);
    }
}
