package dev.genserve.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects any request under {@code /api/} whose declared {@code Content-Length} exceeds
 * {@code spring.servlet.multipart.max-request-size} with 413 problem+json before the body is read. (Multipart uploads
 * without a length are still limited by the multipart resolver, which the API error handler maps to 413.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestSizeLimitFilter(@Value("${spring.servlet.multipart.max-request-size:64MB}") DataSize maxRequestSize) {
        this.maxBytes = maxRequestSize.toBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return maxBytes < 0 || !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            response.setHeader("Connection", "close");
            ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
                    "Request body of " + length + " bytes exceeds the limit of " + maxBytes
                            + " bytes (spring.servlet.multipart.max-request-size).");
            return;
        }
        chain.doFilter(request, response);
    }
}
