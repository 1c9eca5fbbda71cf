package dev.genserve.api;

import dev.genserve.api.openapi.FamilyConfigSchemas;
import dev.genserve.errors.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Family configs on the wire carry their family ({@code {"family": "diffusion", "steps": 300}}), which is what the
 * contract's {@code FamilyConfig} discriminates on; the families themselves parse the config without it.
 */
final class FamilyConfigJson {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private FamilyConfigJson() {}

    /** A stored (family-less) config as the API shows it: {@code family} first, then the fields. */
    static Map<String, Object> tagged(JsonMapper json, String family, String storedConfig) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(FamilyConfigSchemas.DISCRIMINATOR, family);
        if (storedConfig != null) {
            json.readValue(storedConfig, MAP).forEach((key, value) -> {
                if (!key.equals(FamilyConfigSchemas.DISCRIMINATOR)) {
                    out.put(key, value);
                }
            });
        }
        return out;
    }

    /** A free-form JSON object column as a map (null stays null). */
    static Map<String, Object> object(JsonMapper json, String stored) {
        return stored == null ? null : json.readValue(stored, MAP);
    }

    /** The family of a request: {@code config.family}, or the legacy top-level {@code family}; they must agree. */
    static String family(Map<String, Object> config, String topLevel) {
        Object inConfig = config == null ? null : config.get(FamilyConfigSchemas.DISCRIMINATOR);
        String fromConfig = inConfig == null ? null : inConfig.toString();
        if (fromConfig != null && topLevel != null && !fromConfig.equals(topLevel)) {
            throw new InvalidInputException("family is '" + topLevel + "' but config.family is '" + fromConfig
                    + "'; give it once, in config.family");
        }
        String family = fromConfig != null ? fromConfig : topLevel;
        if (family == null || family.isBlank()) {
            throw new InvalidInputException("config.family is required (diffusion, drifting or attractor)");
        }
        return family;
    }

    /** The config without its family, as the family parses it (null stays null: all defaults). */
    static JsonNode untagged(JsonMapper json, Map<String, Object> config) {
        if (config == null) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>(config);
        copy.remove(FamilyConfigSchemas.DISCRIMINATOR);
        return json.valueToTree(copy);
    }
}
