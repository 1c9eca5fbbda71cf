package dev.genserve.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Plain servlet filter guarding {@code /api/**}: writes (POST, PUT, PATCH, DELETE) need {@code X-API-Key} when
 * {@code genserve.security.api-key} is set; reads too when {@code genserve.security.protect-reads=true}. Missing or wrong
 * keys get 401 {@code application/problem+json}. Actuator, OpenAPI and Swagger UI are never guarded.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-API-Key";
    private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final SecurityProperties properties;
    private final byte[] expected;

    public ApiKeyFilter(SecurityProperties properties) {
        this.properties = properties;
        this.expected = properties.hasApiKey() ? properties.apiKey().getBytes(StandardCharsets.UTF_8) : null;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warnWhenOpen() {
        if (expected == null) {
            log.warn("genserve.security.api-key (GENSERVE_API_KEY) is not set: write endpoints under /api/ are open to anyone");
        } else {
            log.info("API key required for {} under /api/", properties.protectReads() ? "all requests" : "writes");
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (expected == null) {
            return true;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!(path.equals("/api") || path.startsWith("/api/"))) {
            return true;
        }
        if ("OPTIONS".equals(request.getMethod())) {
            return true;
        }
        return !WRITES.contains(request.getMethod()) && !properties.protectReads();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        if (given == null || given.isEmpty()) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "This endpoint needs an API key in the " + HEADER + " header.");
            return;
        }
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "The API key in the " + HEADER + " header is not valid.");
            return;
        }
        chain.doFilter(request, response);
    }
}
