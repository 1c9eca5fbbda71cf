package dev.genserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The JSON policy refuses every silent coercion of issue 14, and still reads well-typed values exactly. */
class StrictJsonTest {

    record Body(String model, Integer n, int steps, Double sigma, double rate, Float scale, Boolean flag, List<Double> list) {}

    private final JsonMapper json = StrictJson.mapper();

    private Body read(String text) {
        return json.readValue(text, Body.class);
    }

    @Test
    void wellTypedValuesAreReadAsGiven() {
        Body b = read("{\"model\":\"m\",\"n\":5,\"steps\":7,\"sigma\":2.5,\"rate\":1,\"scale\":0.5,\"flag\":true,\"list\":[1,0.5]}");
        assertThat(b).isEqualTo(new Body("m", 5, 7, 2.5, 1.0, 0.5f, true, List.of(1.0, 0.5)));
        assertThat(read("{\"steps\":1,\"rate\":0,\"sigma\":-1e300}").sigma()).isEqualTo(-1e300);
    }

    @Test
    void everyCoercionIsRefused() {
        String[] refused = {
            "{\"model\":12,\"steps\":1,\"rate\":0}", "{\"model\":1.5,\"steps\":1,\"rate\":0}", "{\"model\":true,\"steps\":1,\"rate\":0}",
            "{\"steps\":2.5,\"rate\":0}", "{\"n\":2.5,\"steps\":1,\"rate\":0}", "{\"n\":\"5\",\"steps\":1,\"rate\":0}",
            "{\"steps\":\"5\",\"rate\":0}", "{\"n\":true,\"steps\":1,\"rate\":0}", "{\"steps\":1,\"rate\":\"0.1\"}",
            "{\"steps\":1,\"rate\":0,\"sigma\":\"Infinity\"}", "{\"steps\":1,\"rate\":0,\"sigma\":\"NaN\"}",
            "{\"steps\":1,\"rate\":0,\"sigma\":1e400}", "{\"steps\":1,\"rate\":-1e400}", "{\"steps\":1,\"rate\":0,\"scale\":1e39}",
            "{\"steps\":1,\"rate\":0,\"flag\":\"true\"}", "{\"steps\":1,\"rate\":0,\"flag\":1}",
            "{\"steps\":1,\"rate\":0,\"list\":[1,\"2\"]}", "{\"steps\":1,\"rate\":0,\"list\":[1e400]}",
            "{\"steps\":null,\"rate\":0}", "{\"steps\":1,\"rate\":null}", "{\"steps\":1,\"rate\":0,\"extra\":1}",
            "{\"steps\":1,\"rate\":0} {}", "{\"steps\":1e20,\"rate\":0}"};
        for (String text : refused) {
            assertThatThrownBy(() -> read(text)).as(text).isInstanceOf(JacksonException.class);
        }
    }

    @Test
    void treesAreCheckedWhenTheyBecomeValues() {
        var tree = JsonMapper.builder().build().readTree("{\"steps\":1,\"rate\":0,\"sigma\":1e400}");
        assertThatThrownBy(() -> json.treeToValue(tree, Body.class)).isInstanceOf(JacksonException.class);
        var fraction = JsonMapper.builder().build().readTree("{\"steps\":2.5,\"rate\":0}");
        assertThatThrownBy(() -> json.treeToValue(fraction, Body.class)).isInstanceOf(JacksonException.class);
    }
}
