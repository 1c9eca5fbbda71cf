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
        module.addDeserializer(Double.class, new FiniteDouble(false));
        module.addDeserializer(Double.TYPE, new FiniteDouble(true));
        module.addDeserializer(Float.class, new FiniteFloat(false));
        module.addDeserializer(Float.TYPE, new FiniteFloat(true));
        return module;
    }

    private static double finite(JsonParser p, DeserializationContext ctxt, Class<?> type) {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            return ((Number) ctxt.handleUnexpectedToken(type, p)).doubleValue();
        }
        double value = p.getDoubleValue();
        if (!Double.isFinite(value)) {
            return ((Number) ctxt.handleWeirdNumberValue(type, value,
                    "not a finite number (the value overflows a 64-bit float)")).doubleValue();
        }
        return value;
    }

    /** Doubles from JSON numbers only, and only finite ones. */
    static final class FiniteDouble extends ValueDeserializer<Double> {

        private final boolean primitive;

        FiniteDouble(boolean primitive) {
            this.primitive = primitive;
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) {
            return finite(p, ctxt, primitive ? Double.TYPE : Double.class);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return primitive ? ctxt.reportInputMismatch(this, "null is not a number") : null;
        }

        @Override
        public Class<?> handledType() {
            return primitive ? Double.TYPE : Double.class;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Float;
        }
    }

    /** Floats from JSON numbers only, and only values that are finite as a float. */
    static final class FiniteFloat extends ValueDeserializer<Float> {

        private final boolean primitive;

        FiniteFloat(boolean primitive) {
            this.primitive = primitive;
        }

        @Override
        public Float deserialize(JsonParser p, DeserializationContext ctxt) {
            Class<?> type = primitive ? Float.TYPE : Float.class;
            double value = finite(p, ctxt, type);
            if (Math.abs(value) > Float.MAX_VALUE) {
                return ((Number) ctxt.handleWeirdNumberValue(type, value, "out of the range of a 32-bit float")).floatValue();
            }
            return (float) value;
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return primitive ? ctxt.reportInputMismatch(this, "null is not a number") : null;
        }

        @Override
        public Class<?> handledType() {
            return primitive ? Float.TYPE : Float.class;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Float;
        }
    }
}
