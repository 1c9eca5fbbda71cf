package dev.genserve.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.registry.FamilyCatalog;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the contract says about config fields must be what the families do: every documented field exists in its
 * record, every range is where {@code resolve} starts rejecting, every enum value is accepted and others are not, and
 * the derived defaults are the resolved ones.
 */
class FamilyConfigDocsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final FamilyCatalog families = new FamilyCatalog(List.of(new DiffusionFamily(), new DriftingFamily(),
            new AttractorFamily()));

    /** The rest of a config a field needs to be meaningful (its SDE type, the other end of a pair). */
    private static final Map<String, String> CONTEXT = Map.ofEntries(
            Map.entry("diffusion/sde.betaMin", "{\"sde\":{\"type\":\"vp\"}}"),
            Map.entry("diffusion/sde.betaMax", "{\"sde\":{\"type\":\"vp\"}}"),
            Map.entry("diffusion/sde.sigmaMin", "{\"sde\":{\"type\":\"ve\",\"sigmaMax\":50}}"),
            Map.entry("diffusion/sde.theta", "{\"sde\":{\"type\":\"ou\"}}"),
            Map.entry("diffusion/sde.sigma", "{\"sde\":{\"type\":\"ou\"}}"),
            Map.entry("diffusion/sde.simulationSteps", "{\"sde\":{\"type\":\"composed\",\"drift\":\"-0.5*x\",\"diffusion\":\"1\"}}"),
            Map.entry("diffusion/sde.type", "{\"sde\":{\"drift\":\"-0.5*x\",\"diffusion\":\"1\"}}"),
            Map.entry("diffusion/fourierCount", "{\"architecture\":\"resmlp\"}"),
            Map.entry("diffusion/fourierScale", "{\"architecture\":\"resmlp\"}"),
            Map.entry("drifting/fourierFeatures", "{\"architecture\":\"mlp\"}"),
            Map.entry("drifting/noiseCodes", "{\"architecture\":\"mlp\"}"),
            Map.entry("drifting/codebook", "{\"architecture\":\"mlp\",\"conditional\":false}"),
            Map.entry("attractor/minCloud", "{\"maxCloud\":65536}"),
            Map.entry("attractor/maxCloud", "{\"minCloud\":1}"));

    @Test
    void everyDocumentedFieldExistsAndItsRangeAndEnumAreWhatResolveAccepts() {
        for (String family : families.ids()) {
            // labelled images admit every option (conv, conditional); the resmlp-only fields get their context
            TrainingData data = family.equals(AttractorFamily.ID) ? vectors(2) : labelledImages();
            FamilyConfigDocs.fields(family).forEach((path, doc) -> {
                Class<?> type = componentType(families.get(family).configType(), path);
                assertThat(type).as(family + "." + path + " is a field of the config record").isNotNull();
                if (doc.readOnly()) {
                    return;
                }
                String where = family + "/" + path;
                boolean integer = type == Integer.class || type == Long.class;
                if (doc.min() != null) {
                    double min = doc.min().doubleValue();
                    double inside = doc.exclusiveMin() ? min + (doc.max() == null ? 0.5
                            : (doc.max().doubleValue() - min) / 2) : min;
                    assertThat(accepts(family, where, path, number(inside, integer), data)).as(where + " ≥ min")
                            .isTrue();
                    Object outside = doc.exclusiveMin() ? number(min, integer) : number(min - (integer ? 1 : 1e-6), integer);
                    assertThat(accepts(family, where, path, outside, data)).as(where + " below min").isFalse();
                }
                if (doc.max() != null) {
                    double max = doc.max().doubleValue();
                    if (!doc.exclusiveMax()) {
                        assertThat(accepts(family, where, path, number(max, integer), data)).as(where + " = max")
                                .isTrue();
                    }
                    Object outside = doc.exclusiveMax() ? number(max, integer) : number(max + (integer ? 1 : 1e-6), integer);
                    assertThat(accepts(family, where, path, outside, data)).as(where + " above max").isFalse();
                }
                if (doc.allowed() != null) {
                    boolean array = List.class.isAssignableFrom(type);
                    for (String value : doc.allowed()) {
                        assertThat(accepts(family, where, path, array ? List.of(value) : value, data))
                                .as(where + " = " + value).isTrue();
                    }
                    assertThat(accepts(family, where, path, array ? List.of("bogus") : "bogus", data))
                            .as(where + " = bogus").isFalse();
                }
            });
        }
    }

    @Test
    void derivedDefaultsAreTheResolvedOnesAndDataDependentOnesAreLeftOut() {
        FamilyConfigSchemas schemas = new FamilyConfigSchemas(families);
        Map<String, Object> diffusion = schemas.defaults(DiffusionFamily.ID);
        assertThat(diffusion).containsEntry("steps", 2000).containsEntry("depth", 3)
                .containsEntry("sde.type", "vp").containsEntry("sde.betaMin", 0.1).containsEntry("sde.theta", 1.0)
                .doesNotContainKeys("sde.sigmaMax", "sde.T", "sde.sigma", "dimension", "architecture", "hidden",
                        "batchSize", "dataRadius", "conditional", "classDropout", "guidance", "imageShape");
        Map<String, Object> drifting = schemas.defaults(DriftingFamily.ID);
        assertThat(drifting).containsEntry("temperatures", List.of(0.02, 0.05, 0.2))
                .doesNotContainKeys("noiseDim", "conditional", "guidanceWeight", "architecture", "featureMaps",
                        "codebook");
        assertThat(schemas.defaults(AttractorFamily.ID)).containsEntry("delta", 0.2).containsEntry("minCloud", 256);
    }

    private boolean accepts(String family, String where, String path, Object value, TrainingData data) {
        ObjectNode config = (ObjectNode) JSON.readTree(CONTEXT.getOrDefault(where, "{}"));
        String[] parts = path.split("\\.");
        ObjectNode target = config;
        for (int i = 0; i < parts.length - 1; i++) {
            target = target.has(parts[i]) ? (ObjectNode) target.get(parts[i]) : target.putObject(parts[i]);
        }
        target.set(parts[parts.length - 1], JSON.valueToTree(value));
        try {
            families.resolve(family, config, data);
            return true;
        } catch (IllegalArgumentException | dev.genserve.errors.InvalidInputException e) {
            return false;
        }
    }

    private static Object number(double value, boolean integer) {
        return integer ? (Object) (long) value : (Object) value;
    }

    /** The Java type of a (possibly nested) record component, or null when there is none. */
    private static Class<?> componentType(Class<?> record, String path) {
        Class<?> current = record;
        for (String part : path.split("\\.")) {
            RecordComponent found = null;
            for (RecordComponent c : current.getRecordComponents()) {
                if (c.getName().equals(part)) {
                    found = c;
                }
            }
            if (found == null) {
                return null;
            }
            current = found.getType();
        }
        return current;
    }

    private static TrainingData vectors(int cols) {
        RandomSource random = new RandomSource(1);
        float[][] rows = new float[40][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.gaussians(cols);
        }
        return TrainingData.of(FloatMatrix.of(rows));
    }

    private static TrainingData labelledImages() {
        int[] labels = new int[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        return new TrainingData(vectors(20).rows(), labels, 2, new int[] {1, 4, 5});
    }
}
