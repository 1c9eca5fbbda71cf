package dev.genserve.api;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.reflect.Field;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.coyote.ActionCode;

/**
 * Tells whether the client of a request that is being answered asynchronously is still connected. Over HTTP/1.1,
 * Tomcat (like every servlet container) does not watch a connection while its request waits for an asynchronous
 * result, so a client that goes away is only noticed when the answer is written. This probe asks Tomcat for the bytes
 * available on the connection with a non-blocking read: a closed or reset connection reports data ("end of
 * stream"), a live one that sent its whole request reports none. (A client that pipelines its next request on the
 * same connection also reports data, and is taken for gone: pipelining is practically unused.)
 */
final class ClientConnection {

    private static final Field FACADE_REQUEST = facadeRequestField();

    private ClientConnection() {}

    /** A probe for this request's connection; empty when the container is not Tomcat (then only deadlines apply). */
    static Optional<BooleanSupplier> gone(ServletRequest request) {
        ServletRequest r = request;
        while (r instanceof ServletRequestWrapper wrapper) {
            r = wrapper.getRequest();
        }
        if (FACADE_REQUEST == null || !(r instanceof RequestFacade facade)) {
            return Optional.empty();
        }
        try {
            org.apache.coyote.Request coyote = ((Request) FACADE_REQUEST.get(facade)).getCoyoteRequest();
            return Optional.of(() -> {
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
                return coyote.getAvailable() > 0;
            });
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Field facadeRequestField() {
        try {
            Field f = RequestFacade.class.getDeclaredField("request");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
