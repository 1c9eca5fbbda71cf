package dev.genserve.registry;

import dev.genserve.config.StrictJson;
import dev.genserve.errors.InvalidInputException;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.TrainingData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generator families the service offers, by id, and the JSON ↔ config-record conversion for each: unknown
 * keys are rejected so that a typo never silently falls back to a default.
 */
@Component
public class FamilyCatalog {

    private final Map<String, GeneratorFamily<?>> families = new LinkedHashMap<>();
    private final JsonMapper strictMapper;
    private final JsonMapper mapper;

    public FamilyCatalog(List<GeneratorFamily<?>> available) {
        for (GeneratorFamily<?> family : available) {
            families.put(family.id(), family);
        }
        this.mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.strictMapper = StrictJson.mapper();
    }

    public Set<String> ids() {
        return families.keySet();
    }

    public GeneratorFamily<?> get(String id) {
        GeneratorFamily<?> family = families.get(id);
        if (family == null) {
            throw new InvalidInputException("unknown family '" + id + "'; valid families: " + families.keySet());
        }
        return family;
    }

    /** A family with its config resolved against the data: what a job trains and what a version records. */
    public record ResolvedConfig(GeneratorFamily<Object> family, Object config, String json) {

        public int totalSteps() {
            return family.totalSteps(config);
        }

        public long seed() {
            return family.seed(config);
        }
    }

    /** Parses the user's JSON config strictly, fills defaults and validates it for this data. */
    @SuppressWarnings("unchecked")
    public ResolvedConfig resolve(String familyId, JsonNode config, TrainingData data) {
        GeneratorFamily<Object> family = (GeneratorFamily<Object>) get(familyId);
        JsonNode node = config == null || config.isNull() ? strictMapper.createObjectNode() : config;
        if (!node.isObject()) {
            throw new InvalidInputException("config must be a JSON object");
        }
        Object parsed;
        try {
            parsed = strictMapper.treeToValue(node, family.configType());
        } catch (JacksonException e) {
            throw new InvalidInputException("invalid " + familyId + " config: " + e.getOriginalMessage(), e);
        }
        Object resolved = InvalidInputException.fromCore(() -> family.resolve(parsed, data));
        return new ResolvedConfig(family, resolved, mapper.writeValueAsString(resolved));
    }

    /** Reads a stored (already resolved) config back. */
    @SuppressWarnings("unchecked")
    public ResolvedConfig stored(String familyId, String json) {
        GeneratorFamily<Object> family = (GeneratorFamily<Object>) get(familyId);
        return new ResolvedConfig(family, mapper.readValue(json, family.configType()), json);
    }
}
