package dev.genserve.api.openapi;

import java.math.BigDecimal;
import java.util.List;

/**
 * What the OpenAPI document says about one config field beyond its type (which comes from the config record
 * itself): a description, a numeric range, allowed values, and whether the server records it (read-only).
 * {@code FamilyConfigDocsTest} checks every range and enum against the family's own validation.
 *
 * @param description what the field means
 * @param min lower bound, or null
 * @param max upper bound, or null
 * @param exclusiveMin whether {@code min} itself is rejected
 * @param exclusiveMax whether {@code max} itself is rejected
 * @param allowed the allowed values (of the field, or of its items for an array), or null
 * @param readOnly recorded by the server from the data; a request may leave it out
 */
public record FieldDoc(String description, BigDecimal min, BigDecimal max, boolean exclusiveMin, boolean exclusiveMax,
        List<String> allowed, boolean readOnly) {

    public static FieldDoc of(String description) {
        return new FieldDoc(description, null, null, false, false, null, false);
    }

    /** Inclusive range [min, max]. */
    public FieldDoc range(double low, double high) {
        return new FieldDoc(description, decimal(low), decimal(high), false, false, allowed, readOnly);
    }

    /** ≥ low. */
    public FieldDoc atLeast(double low) {
        return new FieldDoc(description, decimal(low), max, false, exclusiveMax, allowed, readOnly);
    }

    /** &gt; low. */
    public FieldDoc above(double low) {
        return new FieldDoc(description, decimal(low), max, true, exclusiveMax, allowed, readOnly);
    }

    /** ≤ high. */
    public FieldDoc atMost(double high) {
        return new FieldDoc(description, min, decimal(high), exclusiveMin, false, allowed, readOnly);
    }

    /** &lt; high. */
    public FieldDoc below(double high) {
        return new FieldDoc(description, min, decimal(high), exclusiveMin, true, allowed, readOnly);
    }

    public FieldDoc oneOf(List<String> values) {
        return new FieldDoc(description, min, max, exclusiveMin, exclusiveMax, List.copyOf(values), readOnly);
    }

    public FieldDoc recorded() {
        return new FieldDoc(description, min, max, exclusiveMin, exclusiveMax, allowed, true);
    }

    private static BigDecimal decimal(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? BigDecimal.valueOf((long) value)
                : BigDecimal.valueOf(value);
    }
}
