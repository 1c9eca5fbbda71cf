package dev.genserve.api.openapi;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.TrainingData;
import dev.genserve.registry.FamilyCatalog;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI schemas of the family configs, derived from the config records of the math core: one object schema per
 * family (its fields and their types read from the record, a {@code family} discriminator added, defaults found by
 * resolving an empty config against reference data, descriptions/ranges/enums from {@link FamilyConfigDocs}), and
 * {@code FamilyConfig}, their {@code oneOf} discriminated by {@code family}.
 */
public final class FamilyConfigSchemas {

    public static final String FAMILY_CONFIG = "FamilyConfig";
    public static final String FAMILY_CONFIG_REF = "#/components/schemas/" + FAMILY_CONFIG;
    public static final String DISCRIMINATOR = "family";
    private static final String REF_PREFIX = "#/components/schemas/";

    private final FamilyCatalog families;
    private final JsonMapper json = JsonMapper.builder().build();

    public FamilyConfigSchemas(FamilyCatalog families) {
        this.families = families;
    }

    /** Every schema to add to {@code components.schemas}: one per family config, nested records, FamilyConfig. */
    public Map<String, Schema<?>> schemas() {
        Map<String, Schema<?>> out = new LinkedHashMap<>();
        Discriminator discriminator = new Discriminator().propertyName(DISCRIMINATOR);
        Schema<Object> union = new Schema<>();
        union.description("The config of a generator family, discriminated by `family`. A request may leave out "
                + "any field but `family`; a version shows the config resolved (every default filled in).");
        for (String id : families.ids()) {
            GeneratorFamily<?> family = families.get(id);
            ResolvedSchema resolved = ModelConverters.getInstance()
                    .readAllAsResolvedSchema(new AnnotatedType(family.configType()));
            String name = family.configType().getSimpleName();
            Map<String, Object> defaults = defaults(id);
            Map<String, FieldDoc> docs = FamilyConfigDocs.fields(id);
            Schema<?> root = resolved.schema;
            describe(root, "", docs, defaults, resolved.referencedSchemas, out);
            Map<String, Schema> properties = new LinkedHashMap<>();
            properties.put(DISCRIMINATOR, new StringSchema()._enum(List.of(id))
                    .description("The generator family: `" + id + "`"));
            properties.putAll(root.getProperties());
            root.setProperties(properties);
            root.setRequired(List.of(DISCRIMINATOR));
            root.setDescription(FamilyConfigDocs.SUMMARIES.getOrDefault(id, "Config of family " + id));
            root.setAdditionalProperties(Boolean.FALSE);
            out.put(name, root);
            union.addOneOfItem(new Schema<>().$ref(REF_PREFIX + name));
            discriminator.mapping(id, REF_PREFIX + name);
        }
        union.discriminator(discriminator);
        out.put(FAMILY_CONFIG, union);
        return out;
    }

    /**
     * The schema of {@code params} of a forward-process simulation, derived from the records the simulation parses
     * them into: the attractor's overrides and the SDE config (without its type, which is the process).
     */
    public static Schema<?> simulationParams(Class<?> attractorParams, Class<?> sdeParams) {
        Schema<Object> out = new Schema<>();
        out.type("object").description("Parameters of the simulated process; absent ones take the process's "
                + "defaults. The attractor accepts its own fields, an SDE those of its type; any other is a 400.");
        Map<String, Schema> properties = new LinkedHashMap<>();
        Map<String, FieldDoc> attractorDocs = FamilyConfigDocs.fields("attractor");
        Map<String, FieldDoc> sdeDocs = FamilyConfigDocs.fields("diffusion");
        propertiesOf(attractorParams).forEach((name, schema) -> {
                    FieldDoc doc = attractorDocs.get(name.equals("gridPower") ? "timeGridPower" : name);
                    apply(schema, doc, null, "attractor: ");
                    properties.put(name, schema);
                });
        propertiesOf(sdeParams).forEach((name, schema) -> {
                    if (!name.equals("type") && !properties.containsKey(name)) {
                        apply(schema, sdeDocs.get("sde." + name), null, "SDE: ");
                        properties.put(name, schema);
                    }
                });
        out.setProperties(properties);
        out.setAdditionalProperties(Boolean.FALSE);
        return out;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Map<String, Schema> propertiesOf(Class<?> type) {
        Map<String, Schema> properties = ModelConverters.getInstance()
                .readAllAsResolvedSchema(new AnnotatedType(type)).schema.getProperties();
        return properties == null ? Map.of() : properties;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void describe(Schema<?> schema, String prefix, Map<String, FieldDoc> docs, Map<String, Object> defaults,
            Map<String, Schema> referenced, Map<String, Schema<?>> out) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, value) -> {
            Schema<?> property = (Schema<?>) value;
            String path = prefix + name;
            String ref = property.get$ref();
            if (ref != null && ref.startsWith(REF_PREFIX)) {
                String nested = ref.substring(REF_PREFIX.length());
                Schema<?> target = referenced.get(nested);
                if (target != null) {
                    describe(target, path + ".", docs, defaults, referenced, out);
                    target.setAdditionalProperties(Boolean.FALSE);
                    FieldDoc doc = docs.get(path);
                    if (doc != null && target.getDescription() == null) {
                        target.setDescription(doc.description());
                    }
                    out.put(nested, target);
                }
                return;
            }
            apply(property, docs.get(path), defaults.get(path), "");
        });
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void apply(Schema property, FieldDoc doc, Object defaultValue, String descriptionPrefix) {
        if (defaultValue != null) {
            property.setDefault(defaultValue);
        }
        if (doc == null) {
            property.setDescription(descriptionPrefix + "See the family's reference in docs/.");
            return;
        }
        property.setDescription(descriptionPrefix + doc.description());
        Schema target = property instanceof ArraySchema array ? array.getItems() : property;
        if (doc.min() != null) {
            target.setMinimum(doc.min());
            if (doc.exclusiveMin()) {
                target.setExclusiveMinimum(true);
            }
        }
        if (doc.max() != null) {
            target.setMaximum(doc.max());
            if (doc.exclusiveMax()) {
                target.setExclusiveMaximum(true);
            }
        }
        if (doc.allowed() != null) {
            target.setEnum(new ArrayList<>(doc.allowed()));
        }
        if (doc.readOnly()) {
            property.setReadOnly(true);
        }
    }

    /**
     * The defaults of a family's fields: each family resolves an empty config (and its probes) against three small
     * reference datasets (2-D, 3-D, and labelled 1×4×5 images); a field's default is published where every
     * resolution that sets it agrees, so data-dependent defaults are left to the description.
     */
    public Map<String, Object> defaults(String familyId) {
        List<JsonNode> configs = new ArrayList<>();
        configs.add(json.createObjectNode());
        FamilyConfigDocs.probes(familyId).forEach(p -> configs.add(json.valueToTree(p)));
        Map<String, Object> agreed = new LinkedHashMap<>();
        Map<String, Boolean> conflicting = new LinkedHashMap<>();
        List<TrainingData> references = referenceData();
        for (JsonNode config : configs) {
            Map<String, Object> given = new LinkedHashMap<>();
            collect(config, "", given, new LinkedHashMap<>());
            Map<String, Integer> setBy = new LinkedHashMap<>();
            for (TrainingData data : references) {
                JsonNode resolved = json.readTree(families.resolve(familyId, config, data).json());
                Map<String, Object> found = new LinkedHashMap<>();
                collect(resolved, "", found, conflicting);
                found.keySet().removeAll(given.keySet()); // what a probe sets is its input, not a default
                found.forEach((path, value) -> {
                    setBy.merge(path, 1, Integer::sum);
                    Object before = agreed.putIfAbsent(path, value);
                    if (before != null && !Objects.equals(before, value)) {
                        conflicting.put(path, true);
                    }
                });
            }
            // set for some data and left out for other data (e.g. classDropout, for labelled images only): the
            // default depends on the data, so none is published
            setBy.forEach((path, count) -> {
                if (count < references.size()) {
                    conflicting.put(path, true);
                }
            });
        }
        conflicting.keySet().forEach(agreed::remove);
        return agreed;
    }

    private void collect(JsonNode node, String prefix, Map<String, Object> agreed, Map<String, Boolean> conflicting) {
        for (var entry : node.properties()) {
            String path = prefix + entry.getKey();
            JsonNode value = entry.getValue();
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isObject()) {
                collect(value, path + ".", agreed, conflicting);
                continue;
            }
            Object plain = json.treeToValue(value, Object.class);
            Object before = agreed.putIfAbsent(path, plain);
            if (before != null && !Objects.equals(before, plain)) {
                conflicting.put(path, true);
            }
        }
    }

    private static List<TrainingData> referenceData() {
        RandomSource random = new RandomSource(7);
        int rows = 48;
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 3;
        }
        return List.of(TrainingData.of(gaussian(random, rows, 2)), TrainingData.of(gaussian(random, rows, 3)),
                new TrainingData(gaussian(random, rows, 20), labels, 3, new int[] {1, 4, 5}));
    }

    private static FloatMatrix gaussian(RandomSource random, int rows, int cols) {
        float[][] data = new float[rows][];
        for (int i = 0; i < rows; i++) {
            data[i] = random.gaussians(cols);
        }
        return FloatMatrix.of(data);
    }
}
