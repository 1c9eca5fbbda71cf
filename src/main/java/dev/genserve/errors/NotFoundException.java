package dev.genserve.errors;

/** An id, name or version that does not exist: 404. */
public class NotFoundException extends ServiceException {

    public NotFoundException(String message) {
        super(message);
    }

    public static NotFoundException of(String what, Object id) {
        return new NotFoundException(what + " '" + id + "' does not exist");
    }

    @Override
    public int status() {
        return 404;
    }
}
