package dev.genserve.errors;

import java.util.function.Supplier;

/** The request is malformed or names values that are out of range: 400. */
public class InvalidInputException extends ServiceException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 400;
    }

    /**
     * Runs a call into the math core whose contract is to throw {@link IllegalArgumentException} for input that does
     * not fit (a config, a sample spec, an SDE expression) and reports that as a client error.
     */
    public static <T> T fromCore(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage() == null ? "invalid input" : e.getMessage(), e);
        }
    }
}
