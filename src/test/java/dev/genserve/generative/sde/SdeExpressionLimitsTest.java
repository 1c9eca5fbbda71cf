package dev.genserve.generative.sde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Deep or long expressions are refused with a short message instead of overflowing the stack (issue 14). */
class SdeExpressionLimitsTest {

    @Test
    void theProbesExpressionsAreRefusedPolitely() {
        String[] hostile = {"exp(".repeat(5000) + "x" + ")".repeat(5000), "(".repeat(5000) + "x" + ")".repeat(5000),
            "-".repeat(100_000) + "x", "x+".repeat(200_000) + "x"};
        for (String text : hostile) {
            assertThatThrownBy(() -> SdeExpressionParser.parse(text, "drift"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
        }
    }

    @Test
    void nestingUpToTheLimitParsesAndOneMoreLevelDoesNot() {
        int depth = SdeExpressionParser.MAX_DEPTH - 1; // the whole expression is one level
        assertThat(SdeExpressionParser.parse("(".repeat(depth) + "x" + ")".repeat(depth), "drift")).isNotNull();
        assertThatThrownBy(() -> SdeExpressionParser.parse("(".repeat(depth + 1) + "x" + ")".repeat(depth + 1), "drift"))
                .hasMessageContaining("nesting deeper than " + SdeExpressionParser.MAX_DEPTH);
        assertThat(SdeExpressionParser.parse("-".repeat(depth) + "x", "drift")).isNotNull();
        assertThatThrownBy(() -> SdeExpressionParser.parse("-".repeat(depth + 1) + "x", "drift"))
                .hasMessageContaining("nesting");
    }

    @Test
    void lengthUpToTheLimitParses() {
        String longest = "x" + "+x".repeat((SdeExpressionParser.MAX_LENGTH - 1) / 2);
        assertThat(longest.length()).isLessThanOrEqualTo(SdeExpressionParser.MAX_LENGTH);
        assertThat(SdeExpressionParser.parse(longest, "drift")).isNotNull();
        assertThatThrownBy(() -> SdeExpressionParser.parse(longest + "+x", "drift"))
                .hasMessageContaining("at most " + SdeExpressionParser.MAX_LENGTH);
    }
}
