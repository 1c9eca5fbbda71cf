package dev.genserve.errors;

/** A request asks for more than the service allows (rows in an upload, samples per request, ...): 413. */
public class PayloadTooLargeException extends ServiceException {

    public PayloadTooLargeException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 413;
    }
}
