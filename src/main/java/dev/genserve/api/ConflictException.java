package dev.genserve.api;

/** The request clashes with the current state (duplicate name, job already finished, ...): 409 problem+json. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
