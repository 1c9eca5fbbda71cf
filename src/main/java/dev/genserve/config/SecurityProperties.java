package dev.genserve.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API key protection ({@code genserve.security.*}).
 *
 * @param apiKey       when set, POST/PUT/PATCH/DELETE under {@code /api/} need header {@code X-API-Key} with this value
 *                     (env {@code GENSERVE_API_KEY}); when unset, writes are open and a warning is logged at startup
 * @param protectReads when true (and a key is set), GET/HEAD under {@code /api/} need the key too
 */
@ConfigurationProperties("genserve.security")
public record SecurityProperties(String apiKey, boolean protectReads) {

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isBlank();
    }
}
