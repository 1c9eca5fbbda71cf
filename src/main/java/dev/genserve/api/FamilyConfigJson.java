package dev.genserve.api;

import dev.genserve.api.openapi.FamilyConfigSchemas;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Family configs on the wire carry their family ({@code {"family": "diffusion", "steps": 300}}), which is what the
 * contract's {@code FamilyConfig} discriminates on; the families themselves parse the config without it.
 */
final class FamilyConfigJson {

    private FamilyConfigJson() {}

    /** A stored (family-less) config as the API shows it: {@code family} first, then the fields. */
    static ObjectNode tagged(JsonMapper json, String family, String storedConfig) {
        ObjectNode out = json.createObjectNode();
        out.put(FamilyConfigSchemas.DISCRIMINATOR, family);
        JsonNode config = storedConfig == null ? null : json.readTree(storedConfig);
        if (config != null && config.isObject()) {
            config.properties().forEach(e -> {
                if (!e.getKey().equals(FamilyConfigSchemas.DISCRIMINATOR)) {
                    out.set(e.getKey(), e.getValue());
                }
            });
        }
        return out;
    }

    /** The family of a request: {@code config.family}, or the legacy top-level {@code family}; they must agree. */
    static String family(JsonNode config, String topLevel) {
        JsonNode inConfig = config == null ? null : config.get(FamilyConfigSchemas.DISCRIMINATOR);
        String fromConfig = inConfig == null || inConfig.isNull() ? null : inConfig.asString();
        if (fromConfig != null && topLevel != null && !fromConfig.equals(topLevel)) {
            throw new IllegalArgumentException("family is '" + topLevel + "' but config.family is '" + fromConfig
                    + "'; give it once, in config.family");
        }
        String family = fromConfig != null ? fromConfig : topLevel;
        if (family == null || family.isBlank()) {
            throw new IllegalArgumentException("config.family is required (diffusion, drifting or attractor)");
        }
        return family;
    }

    /** The config without its family, as the family parses it. */
    static JsonNode untagged(JsonNode config) {
        if (config == null || !config.isObject()) {
            return config;
        }
        ObjectNode copy = ((ObjectNode) config).deepCopy();
        copy.remove(FamilyConfigSchemas.DISCRIMINATOR);
        return copy;
    }
}
