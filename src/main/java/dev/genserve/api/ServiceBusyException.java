package dev.genserve.api;

/** The server is at a configured capacity limit for this kind of request: 503 problem+json, try again later. */
public class ServiceBusyException extends RuntimeException {

    public ServiceBusyException(String message) {
        super(message);
    }
}
