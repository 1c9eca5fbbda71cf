package dev.genserve.config;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security for the API key. The rule does not depend on the path, so no spelling of a path can get around it:
 * when {@code genserve.security.api-key} is set, every request whose method is not GET, HEAD or OPTIONS needs the key,
 * wherever it goes. Reads stay open unless {@code genserve.security.protect-reads=true}; then every read needs the key
 * except an allow-list (actuator, OpenAPI, Swagger UI, the dashboard's static files), matched on the path as Spring MVC routes it (decoded, without
 * {@code ;} parameters). The firewall ({@link StrictHttpFirewall}) rejects paths that could be read two ways ({@code
 * ..}, encoded slashes, NUL, ...); semicolons are allowed, because Spring MVC itself ignores {@code ;} parameters, so
 * both see the same path. Answers are RFC 9457 problem documents: 401 (missing or wrong key, with
 * {@code WWW-Authenticate}), and for a rejected path 400, or 401 when it was a write without a valid key.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /**
     * Readable without the key even when reads are protected: health and metrics, the contract, Swagger UI, and the
     * dashboard's static files (they hold no data; the page sends the key it is given with every API call).
     */
    static final String[] PUBLIC_READS = {"/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
            "/swagger-ui.html", "/swagger-ui/**", "/error", "/", "/ui", "/dashboard", "/dashboard/**"};

    private final SecurityProperties properties;
    private final ApiKeyCheck keys;

    public SecurityConfig(SecurityProperties properties) {
        this.properties = properties;
        this.keys = new ApiKeyCheck(properties);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        http.csrf(c -> c.disable())
                .cors(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // responses decide their own caching (ETags, immutable versions); keep the other default headers
                .headers(h -> h.cacheControl(c -> c.disable()))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized()).accessDeniedHandler(forbidden()));
        if (!properties.hasApiKey()) {
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            return http.build();
        }
        http.addFilterBefore(new ApiKeyAuthenticationFilter(keys), AuthorizationFilter.class);
        http.authorizeHttpRequests(a -> {
            a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
            a.requestMatchers(HttpMethod.OPTIONS).permitAll();
            if (properties.protectReads()) {
                a.requestMatchers(HttpMethod.GET, PUBLIC_READS).permitAll();
                a.requestMatchers(HttpMethod.HEAD, PUBLIC_READS).permitAll();
            } else {
                a.requestMatchers(HttpMethod.GET).permitAll();
                a.requestMatchers(HttpMethod.HEAD).permitAll();
            }
            a.anyRequest().authenticated();
        });
        return http.build();
    }

    /** There are no users, only the API key; this also keeps Spring Boot from generating (and logging) a password. */
    @Bean
    UserDetailsService noUsers() {
        return username -> {
            throw new UsernameNotFoundException("genserve has no users; it authenticates requests by API key");
        };
    }

    @Bean
    WebSecurityCustomizer firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowSemicolon(true);
        return web -> web.httpFirewall(firewall).requestRejectedHandler(rejected());
    }

    @EventListener(ApplicationReadyEvent.class)
    public void warnWhenOpen() {
        if (!properties.hasApiKey()) {
            log.warn("genserve.security.api-key (GENSERVE_API_KEY) is not set: write endpoints are open to anyone");
        } else {
            log.info("API key required for {}", properties.protectReads() ? "all requests but health, OpenAPI and Swagger UI" : "writes");
        }
    }

    private AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", ApiKeyCheck.CHALLENGE);
            ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, unauthorizedDetail(request));
        };
    }

    private static String unauthorizedDetail(HttpServletRequest request) {
        return request.getAttribute(ApiKeyAuthenticationFilter.WRONG_KEY) != null
                ? "The API key in the " + ApiKeyCheck.HEADER + " header is not valid."
                : "This endpoint needs an API key in the " + ApiKeyCheck.HEADER + " header.";
    }

    private static AccessDeniedHandler forbidden() {
        return (request, response, e) -> ProblemResponses.write(request, response, HttpStatus.FORBIDDEN,
                "Access to this resource is denied.");
    }

    /** A path the firewall refuses: 401 if it was a write without a valid key (so no path trick gets further), else 400. */
    private RequestRejectedHandler rejected() {
        return (request, response, e) -> {
            if (keys.unauthorizedWrite(request.getMethod(), request.getHeader(ApiKeyCheck.HEADER))) {
                response.setHeader("WWW-Authenticate", ApiKeyCheck.CHALLENGE);
                ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, unauthorizedDetail(request));
                return;
            }
            ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST,
                    "The request path or a header is not acceptable: " + e.getMessage());
        };
    }
}
