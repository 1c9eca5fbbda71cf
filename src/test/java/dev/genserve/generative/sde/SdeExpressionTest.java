package dev.genserve.generative.sde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class SdeExpressionTest {

    @Test
    void vpExpressionsMatchTheVpSde() {
        ComposedSde composed = new ComposedSde("-0.5*beta(0.1,20)*x", "sqrt(beta(0.1,20))", 1.0, 1e-3);
        VpSde vp = new VpSde(0.1, 20);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, -2f, 0.5f, 3f}, new ai.djl.ndarray.types.Shape(2, 2));
            for (double t : new double[] {0, 0.3, 1}) {
                assertThat(composed.drift(x, t).toFloatArray()).containsExactly(vp.drift(x, t).toFloatArray(),
                        within(1e-5f));
                assertThat(composed.diffusion(t)).isCloseTo(vp.diffusion(t), within(1e-12));
            }
        }
    }

    @Test
    void arithmeticAndPrecedence() {
        SdeExpression e = SdeExpressionParser.parse("1 + 2*t - -3 * exp(t) * t", "drift");
        assertThat(e.dependsOnX()).isFalse();
        assertThat(e.scalar(0.5)).isCloseTo(1 + 1 + 3 * Math.exp(0.5) * 0.5, within(1e-12));
        assertThat(SdeExpressionParser.parse("(1+t)*(2-t)", "drift").scalar(1)).isCloseTo(2, within(1e-12));
        assertThat(SdeExpressionParser.parse("2.5e-1 × beta(1, 3)", "drift").scalar(0.5)).isCloseTo(0.5,
                within(1e-12));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f});
            assertThat(SdeExpressionParser.parse("x*x - exp(x) + t", "drift").array(x, 1).toFloatArray())
                    .containsExactly(new float[] {(float) (1 - Math.E + 1), (float) (4 - Math.exp(2) + 1)},
                            within(1e-5f));
            assertThat(SdeExpressionParser.parse("2 - x", "drift").array(x, 0).toFloatArray())
                    .containsExactly(1f, 0f);
        }
    }

    @Test
    void badExpressionsGiveClearErrors() {
        assertThatThrownBy(() -> SdeExpressionParser.parse("-0.5*y", "drift"))
                .hasMessageContaining("unknown symbol 'y' at position 6")
                .hasMessageContaining("allowed: numbers, t, x");
        assertThatThrownBy(() -> SdeExpressionParser.parse("sin(x)", "drift"))
                .hasMessageContaining("unknown symbol 'sin' at position 1");
        assertThatThrownBy(() -> SdeExpressionParser.parse("(x + 1", "drift"))
                .hasMessageContaining("expected ')' but the expression ends");
        assertThatThrownBy(() -> SdeExpressionParser.parse("x / 2", "drift"))
                .hasMessageContaining("unexpected '/' at position 3");
        assertThatThrownBy(() -> SdeExpressionParser.parse("beta(t, 2)", "diffusion"))
                .hasMessageContaining("beta(min,max) takes two numbers");
        assertThatThrownBy(() -> SdeExpressionParser.parse(" ", "drift")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new ComposedSde("-x", "sqrt(x)", 1, 1e-3))
                .hasMessageContaining("must not depend on x");
        assertThatThrownBy(() -> new ComposedSde("-x", "1 - 2*t", 1, 1e-3))
                .hasMessageContaining("must be finite and ≥ 0");
        assertThatThrownBy(() -> new ComposedSde("-x", "1", 1, 1e-3).samplePrior(null, 1, 1, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no fitted prior");
    }
}
