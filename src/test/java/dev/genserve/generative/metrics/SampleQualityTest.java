package dev.genserve.generative.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.data.ToyDistributions;
import org.junit.jupiter.api.Test;

class SampleQualityTest {

    @Test
    void baselinesScoreWorseThanAnIndependentDrawOnAllMetrics() {
        FloatMatrix reference = ToyDistributions.eightGaussians(3000, 1);
        SampleQuality good = SampleQuality.of(ToyDistributions.eightGaussians(3000, 2), reference);
        SampleQuality blurred = SampleQuality.of(Baselines.blurred(ToyDistributions.eightGaussians(3000, 3), 0.5, 4), reference);
        SampleQuality dropped = SampleQuality.of(Baselines.modeDropped(3000, 5, 1, 2, 6), reference);
        for (SampleQuality bad : new SampleQuality[] {blurred, dropped}) {
            assertThat(bad.mmd()).isGreaterThan(good.mmd());
            assertThat(bad.slicedWasserstein()).isGreaterThan(good.slicedWasserstein());
            assertThat(bad.energyDistance()).isGreaterThan(good.energyDistance());
        }
        assertThat(good.asMap()).containsOnlyKeys("mmd2", "sliced_w2", "energy_distance");
    }

    @Test
    void subsamplesDeterministicallyAndHandlesFashionMnistDimension() {
        // 784-D, more rows than maxPoints: exercises subsampling and the O(n^2 d) loops at full size
        FloatMatrix a = ToyDistributions.standardGaussian(2500, 784, 1);
        FloatMatrix b = ToyDistributions.standardGaussian(2200, 784, 2);
        long t0 = System.nanoTime();
        SampleQuality q1 = SampleQuality.of(a, b);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("SampleQuality.of 2000x784 vs 2000x784: " + ms + " ms, " + q1);
        assertThat(SampleQuality.of(a, b, 500, 3)).isEqualTo(SampleQuality.of(a, b, 500, 3));
        assertThat(SampleQuality.subsample(a, 2000, 0).rows()).isEqualTo(2000);
        assertThat(SampleQuality.subsample(a, 2000, 0)).isEqualTo(SampleQuality.subsample(a, 2000, 0));
        assertThat(SampleQuality.subsample(b, 5000, 0)).isSameAs(b);
        assertThat(Math.abs(q1.mmd())).isLessThan(0.01);

        SampleQuality shifted = SampleQuality.of(a, MmdTest.shifted(b, 0.3), 500, 0);
        SampleQuality same = SampleQuality.of(a, b, 500, 0);
        assertThat(shifted.mmd()).isGreaterThan(same.mmd());
        assertThat(shifted.energyDistance()).isGreaterThan(same.energyDistance());
        assertThat(shifted.slicedWasserstein()).isGreaterThan(same.slicedWasserstein());
    }
}
