package dev.genserve.api.openapi;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The documented shape of every error body ({@code application/problem+json}, RFC 9457), as
 * {@code ApiExceptionHandler} and the API-key filter write it. Documentation only: the server builds Spring's
 * {@code ProblemDetail}.
 */
@Schema(name = "ProblemDetail", description = "An error, as RFC 9457 problem details (application/problem+json)")
public record ProblemSchema(
        @Schema(description = "A URI reference that identifies the problem type", example = "about:blank")
        String type,
        @Schema(description = "Short summary of the problem type (the HTTP reason phrase)", example = "Bad Request")
        String title,
        @Schema(description = "The HTTP status code", example = "400") int status,
        @Schema(description = "What went wrong and what to fix, for a person",
                example = "invalid diffusion config: Unrecognized property \"stepz\"") String detail,
        @Schema(description = "The request path", example = "/api/v1/jobs") String instance,
        @Schema(description = "Validation failures, one per field, when the request failed validation")
        List<FieldViolation> errors) {

    /** One field that failed validation. */
    @Schema(name = "FieldViolation", description = "One field that failed validation")
    public record FieldViolation(
            @Schema(description = "The field or parameter", example = "model") String field,
            @Schema(description = "Why it was rejected", example = "must not be blank") String message,
            @Schema(description = "The rejected value, when it is a plain value") String rejectedValue) {}
}
