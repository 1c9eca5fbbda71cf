package dev.genserve.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.genserve.errors.ServiceBusyException;
import dev.genserve.errors.ServiceException;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Turns every error into RFC 9457 {@code application/problem+json}. Client mistakes are 4xx with a {@code detail} that
 * says what to fix; validation problems also list each offending field under {@code errors}. Services signal them
 * with a {@link ServiceException}; anything else (an {@link IllegalArgumentException} included) is unexpected: a 500
 * with a generic detail, and the exception is logged.
 *
 * <p>Spring's own MVC exceptions (405, 406, 415, missing parameters, type mismatches, unknown paths) are handled by
 * {@link ResponseEntityExceptionHandler}; this class adds the genserve exceptions and improves a few details.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /**
     * Every error a service throws on purpose ({@link ServiceException}): its status, its message as the detail, its
     * properties as extra members, and {@code Retry-After} when the service is busy.
     */
    @ExceptionHandler(ServiceException.class)
    public ResponseEntity<ProblemDetail> serviceError(ServiceException e) {
        ProblemDetail pd = problem(HttpStatus.valueOf(e.status()), e.getMessage());
        e.properties().forEach(pd::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e instanceof ServiceBusyException busy) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(busy.retryAfterSeconds()));
        }
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(pd);
    }

    /** A multipart body that cannot be parsed (no boundary, no closing boundary, truncated part): 400. */
    @ExceptionHandler(MultipartException.class)
    public ProblemDetail multipart(MultipartException e) {
        return problem(HttpStatus.BAD_REQUEST, "The multipart/form-data body could not be parsed: it needs a "
                + "boundary parameter in Content-Type and a closing boundary line (" + rootMessage(e) + ")");
    }

    /** A streamed request body (an archive posted as the raw body) ran past the request size limit: 413. */
    @ExceptionHandler(dev.genserve.config.RequestSizeLimitFilter.BodyTooLargeException.class)
    public ProblemDetail bodyTooLarge(dev.genserve.config.RequestSizeLimitFilter.BodyTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    /**
     * A stored model artifact failed its checksum: a server-side integrity problem. The log has the details; the
     * answer names no server path.
     */
    @ExceptionHandler(dev.genserve.registry.ArtifactIntegrityException.class)
    public ProblemDetail integrity(dev.genserve.registry.ArtifactIntegrityException e) {
        log.error("Artifact integrity check failed: {}", e.getMessage());
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "The stored artifact of " + e.version()
                + " failed its integrity check and was not loaded; the operator has to restore or delete it.");
    }

    @ExceptionHandler(ConstraintViolationException.class)
    public ProblemDetail constraintViolation(ConstraintViolationException e) {
        List<Map<String, Object>> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> errors.add(error(String.valueOf(v.getPropertyPath()), v.getMessage(), v.getInvalidValue())));
        ProblemDetail pd = problem(HttpStatus.BAD_REQUEST, "Request validation failed: " + summary(errors));
        pd.setProperty("errors", errors);
        return pd;
    }

    @ExceptionHandler(Exception.class)
    public ProblemDetail unexpected(Exception e, WebRequest request) {
        log.error("Unexpected error on {}", request.getDescription(false), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred; it has been logged. If it persists, report it with the time of the request.");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (FieldError fe : ex.getBindingResult().getFieldErrors()) {
            errors.add(error(fe.getField(), fe.getDefaultMessage(), fe.getRejectedValue()));
        }
        for (ObjectError oe : ex.getBindingResult().getGlobalErrors()) {
            errors.add(error(oe.getObjectName(), oe.getDefaultMessage(), null));
        }
        ProblemDetail pd = ex.getBody();
        pd.setDetail("Request validation failed: " + summary(errors));
        pd.setProperty("errors", errors);
        return handleExceptionInternal(ex, pd, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(err -> errors.add(
                error(r.getMethodParameter().getParameterName(), err.getDefaultMessage(), r.getArgument()))));
        ProblemDetail pd = ex.getBody();
        pd.setDetail("Request validation failed: " + summary(errors));
        pd.setProperty("errors", errors);
        return handleExceptionInternal(ex, pd, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable c = ex; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof dev.genserve.config.RequestSizeLimitFilter.BodyTooLargeException tooLarge) {
                ProblemDetail pd = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
                return handleExceptionInternal(ex, pd, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, describeUnreadable(ex));
        return handleExceptionInternal(ex, pd, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        String limit = ex.getMaxUploadSize() > 0 ? ex.getMaxUploadSize() + " bytes" : "the configured limit";
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "Upload exceeds " + limit + " (spring.servlet.multipart.max-file-size / max-request-size).");
        return handleExceptionInternal(ex, pd, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }

    static String describeUnreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof JacksonException je) {
            StringBuilder b = new StringBuilder("Malformed JSON request body: ").append(je.getOriginalMessage());
            String path = je.getPath().isEmpty() ? null : je.getPathReference();
            if (path != null) {
                b.append(" (at ").append(path).append(')');
            }
            TokenStreamLocation loc = je.getLocation();
            if (loc != null && loc.getLineNr() > 0) {
                b.append(" at line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr());
            }
            return b.toString();
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            return "Required request body is missing";
        }
        return "Request body could not be read: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        return ProblemDetail.forStatusAndDetail(status, detail);
    }

    private static Map<String, Object> error(String field, String message, Object rejected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message);
        if (rejected != null && (rejected instanceof Number || rejected instanceof CharSequence || rejected instanceof Boolean)) {
            m.put("rejectedValue", rejected);
        }
        return m;
    }

    private static String summary(List<Map<String, Object>> errors) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> e : errors) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(e.get("field")).append(": ").append(e.get("message"));
        }
        return b.isEmpty() ? "invalid input" : b.toString();
    }
}
