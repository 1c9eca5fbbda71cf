package dev.genserve.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The API-key rule in one place, for the security filter chain and for the answers given before it runs (paths the
 * firewall or Tomcat itself refuses): when a key is configured, every request whose method is not a read needs it.
 * Keys are compared in constant time.
 */
final class ApiKeyCheck {

    static final String HEADER = "X-API-Key";
    static final String CHALLENGE = "ApiKey header=\"" + HEADER + "\"";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final byte[] expected;

    ApiKeyCheck(SecurityProperties properties) {
        this.expected = properties.hasApiKey() ? properties.apiKey().getBytes(StandardCharsets.UTF_8) : null;
    }

    boolean configured() {
        return expected != null;
    }

    boolean valid(String given) {
        return expected != null && given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8));
    }

    /** A write (any method but GET, HEAD, OPTIONS) without a valid key, while a key is configured. */
    boolean unauthorizedWrite(String method, String givenKey) {
        return expected != null && !READS.contains(method) && !valid(givenKey);
    }
}
