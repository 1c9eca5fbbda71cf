package dev.genserve.api;

/** An id, name or version that does not exist: 404 problem+json. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }

    public static NotFoundException of(String what, Object id) {
        return new NotFoundException(what + " '" + id + "' does not exist");
    }
}
