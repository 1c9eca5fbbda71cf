package dev.genserve.config;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report, as RFC 9457 problem+json instead of an HTML page. Tomcat answers some requests itself before
 * any servlet sees them (a NUL byte or an undecodable sequence in the path, an encoded slash, a request line or header
 * over the size limit); this valve replaces the host's {@link ErrorReportValve} so that those answers have the same
 * shape as every other error, and a write without the API key is a 401 here too. It never shows the server version
 * or a stack trace.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private final ApiKeyCheck keys;

    public ProblemErrorReportValve() {
        this(null);
    }

    ProblemErrorReportValve(ApiKeyCheck keys) {
        this.keys = keys;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (status == 400 && keys != null && keys.unauthorizedWrite(request.getMethod(), request.getHeader(ApiKeyCheck.HEADER))) {
            // a write without the key is a 401 however unparseable its path: the same answer as everywhere else
            status = 401;
            response.setStatus(status);
            response.setHeader("WWW-Authenticate", ApiKeyCheck.CHALLENGE);
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = switch (status) {
            case 400 -> "The request could not be parsed (invalid characters or encoding in the request line or headers).";
            case 401 -> "This endpoint needs an API key in the " + ApiKeyCheck.HEADER + " header.";
            default -> title + ".";
        };
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":" + ProblemResponses.quote(title) + ",\"status\":" + status
                        + ",\"detail\":" + ProblemResponses.quote(detail) + "}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response is committed: nothing more to say
        }
    }
}
