package dev.genserve.config;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request that carries the configured key in the {@code X-API-Key} header (the header name is
 * case-insensitive, as every HTTP header name), comparing in constant time. It only authenticates: which requests
 * need to be authenticated is {@link SecurityConfig}'s decision. A wrong key is remembered in a request attribute so
 * that the 401 can say so.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String WRONG_KEY = ApiKeyAuthenticationFilter.class.getName() + ".wrongKey";

    private final ApiKeyCheck keys;

    ApiKeyAuthenticationFilter(ApiKeyCheck keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(ApiKeyCheck.HEADER);
        if (given != null && !given.isEmpty()) {
            if (keys.valid(given)) {
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new ApiKeyAuthentication());
                SecurityContextHolder.setContext(context);
            } else {
                request.setAttribute(WRONG_KEY, Boolean.TRUE);
            }
        }
        chain.doFilter(request, response);
    }

    /** The caller proved it holds the API key. */
    static final class ApiKeyAuthentication extends AbstractAuthenticationToken {

        ApiKeyAuthentication() {
            super(List.of(new SimpleGrantedAuthority("ROLE_API_CLIENT")));
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return "api-key";
        }
    }
}
