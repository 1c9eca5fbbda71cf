package dev.genserve.api;

/** A request asks for more than the service allows (rows in an upload, samples per request, ...): 413 problem+json. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
