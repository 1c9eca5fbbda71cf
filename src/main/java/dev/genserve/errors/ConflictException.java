package dev.genserve.errors;

/** The request clashes with the current state (duplicate name, job already finished, ...): 409. */
public class ConflictException extends ServiceException {

    public ConflictException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 409;
    }
}
