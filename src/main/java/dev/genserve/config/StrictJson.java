package dev.genserve.config;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The one JSON reading policy of the service, for request bodies ({@link JacksonConfig}) and for the configs and
 * parameters read from them: a value must already have the type of its field. No number becomes a string
 * ({@code "model": 12}), no fraction is truncated to an integer ({@code "steps": 2.5}), no string becomes a number or a
 * boolean ({@code "n": "5"}), no boolean becomes a number, and a floating-point value must be finite: {@code 1e400}
 * (which overflows to infinity) and {@code "Infinity"} / {@code "NaN"} are refused. Unknown properties and nulls for
 * primitives are refused too.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** Applies the policy to a mapper builder. */
    public static JsonMapper.Builder apply(JsonMapper.Builder builder) {
        return builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(finiteNumbers());
    }

    /** A fresh strict mapper (for configs and parameters that arrive as JSON trees). */
    public static JsonMapper mapper() {
        return apply(JsonMapper.builder()).build();
    }

    private static SimpleModule finiteNumbers() {
        SimpleModule module = new SimpleModule("genserve-finite-numbers");
        module.addDeserializer(Double.class, new FiniteNumber<>(Double.class, Double.MAX_VALUE, v -> v));
        module.addDeserializer(Double.TYPE, new FiniteNumber<>(Double.TYPE, Double.MAX_VALUE, v -> v));
        module.addDeserializer(Float.class, new FiniteNumber<>(Float.class, Float.MAX_VALUE, v -> (float) v));
        module.addDeserializer(Float.TYPE, new FiniteNumber<>(Float.TYPE, Float.MAX_VALUE, v -> (float) v));
        return module;
    }

    /** A floating-point value from a JSON number only (not a string), and only a finite one within the type's range. */
    static final class FiniteNumber<T> extends ValueDeserializer<T> {

        private final Class<?> type;
        private final double max;
        private final java.util.function.DoubleFunction<T> box;

        FiniteNumber(Class<?> type, double max, java.util.function.DoubleFunction<T> box) {
            this.type = type;
            this.max = max;
            this.box = box;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken token = p.currentToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                return (T) ctxt.handleUnexpectedToken(type, p);
            }
            double value = p.getDoubleValue();
            if (!Double.isFinite(value) || Math.abs(value) > max) {
                return (T) ctxt.handleWeirdNumberValue(type, value, "not a finite number in the range of " + type.getSimpleName());
            }
            return box.apply(value);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return type.isPrimitive() ? ctxt.reportInputMismatch(this, "null is not a number") : null;
        }

        @Override
        public Class<?> handledType() {
            return type;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Float;
        }
    }
}
