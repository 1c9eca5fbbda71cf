package dev.genserve.bench;

import dev.genserve.generative.GeneratorFamily;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generator families the suite measures, found by class name so the suite compiles and runs whichever of them
 * are on the class path, and configured uniformly through {@link GeneratorFamily}: a config record is built by
 * setting the record components named in a budget map (hidden, depth, steps, batchSize, positives, generated, …)
 * and leaving every other component null (the family default).
 */
final class Families {

    /** Family id → implementation class, in report order. */
    static final Map<String, String> CLASSES = Map.of(
            "diffusion", "dev.genserve.generative.score.DiffusionFamily",
            "drifting", "dev.genserve.generative.drifting.DriftingFamily",
            "attractor", "dev.genserve.generative.attractor.AttractorFamily");
    static final List<String> ORDER = List.of("diffusion", "drifting", "attractor");

    private Families() {}

    record Found(String id, GeneratorFamily<Object> family) {}

    /** The families present; prints (and returns in {@code missing}) a line for each absent one. */
    @SuppressWarnings("unchecked")
    static List<Found> available(List<String> missing) {
        List<Found> out = new ArrayList<>();
        for (String id : ORDER) {
            String name = CLASSES.get(id);
            try {
                Class<?> type = Class.forName(name);
                out.add(new Found(id, (GeneratorFamily<Object>) type.getDeclaredConstructor().newInstance()));
            } catch (ClassNotFoundException e) {
                missing.add(id + ": " + name + " is not on the class path (skipped)");
            } catch (ReflectiveOperationException | RuntimeException e) {
                missing.add(id + ": cannot instantiate " + name + ": " + e);
            }
        }
        missing.forEach(m -> System.out.println("[bench] family " + m));
        return out;
    }

    /**
     * The family's config record with the named components set (numbers converted to the component's type) and
     * every other component null.
     */
    static Object config(GeneratorFamily<Object> family, Map<String, ?> values) {
        Class<?> type = family.configType();
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = convert(values.get(components[i].getName()), types[i]);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName() + ": " + e, e);
        }
    }

    private static Object convert(Object v, Class<?> type) {
        if (v == null) {
            return null;
        }
        if (type.isInstance(v)) {
            return v;
        }
        if (v instanceof Number n) {
            if (type == Integer.class) {
                return n.intValue();
            }
            if (type == Long.class) {
                return n.longValue();
            }
            if (type == Double.class) {
                return n.doubleValue();
            }
        }
        return null;
    }
}
