package dev.genserve.errors;

import java.util.Map;

/**
 * An error a service throws on purpose, with the HTTP status it stands for. The API turns every subclass into an RFC
 * 9457 problem document with that status, the message as {@code detail} and {@link #properties()} as extra members.
 * Plain {@link IllegalArgumentException}s are not client errors: only these are, so that an internal bug never
 * reads as a 400.
 */
public abstract class ServiceException extends RuntimeException {

    protected ServiceException(String message) {
        super(message);
    }

    protected ServiceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The HTTP status code this error is answered with. */
    public abstract int status();

    /** Extra members of the problem document (limits, the cost that was refused, ...). */
    public Map<String, Object> properties() {
        return Map.of();
    }
}
