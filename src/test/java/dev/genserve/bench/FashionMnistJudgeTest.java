package dev.genserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Baselines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Fashion-MNIST judge separates real images from degraded ones. Trains the classifier once (about a minute on
 * one thread) when the cache has none for this code; skipped when the dataset is not installed.
 */
class FashionMnistJudgeTest {

    private static final int N = 1000;
    private static FashionMnistJudge judge;
    private static FloatMatrix real;
    private static int[] labels;

    @BeforeAll
    static void loadJudge() {
        assumeTrue(FashionMnistJudge.datasetAvailable(), FashionMnist.missing(FashionMnist.DEFAULT_DIR)
                + ": judge test skipped");
        judge = FashionMnistJudge.loadOrTrain().orElseThrow();
        // class-balanced real images that are neither in the FD reference nor in the floor's set
        real = judge.realSamples(N / 10);
        labels = FashionMnistJudge.intendedLabels(N / 10);
    }

    @AfterAll
    static void close() {
        if (judge != null) {
            judge.close();
        }
    }

    @Test
    void realTestImagesScoreAtTheCeilingAndTheHalvesAreAtTheFloor() {
        FashionMnistJudge.Verdict v = judge.judge(real, labels);
        System.out.println("[judge] real test images: " + v);
        assertThat(judge.testAccuracy()).isGreaterThanOrEqualTo(0.85);
        assertThat(v.labelAccuracy()).isGreaterThanOrEqualTo(0.85);
        // other real images against the reference half score the floor, up to sampling noise at the same n
        assertThat(v.frechetRatio()).isBetween(0.7, 1.4);
        // the floor shrinks with n: at n = 5000 it is below the n = 1000 floor
        assertThat(judge.frechetFloor(5000)).isLessThan(judge.frechetFloor(N));
    }

    @Test
    void blurredAndNoiseImagesScoreMuchWorse() {
        double floor = judge.frechetFloor(N);
        FashionMnistJudge.Verdict blurred = judge.judge(FashionMnistJudge.blurred(real, 1.5), labels);
        FloatMatrix noise = Baselines.blurred(new FloatMatrix(new float[N * 784], N, 784), 1.0, 3L);
        FashionMnistJudge.Verdict pureNoise = judge.judge(noise, labels);
        System.out.println("[judge] blurred σ=1.5 px: " + blurred);
        System.out.println("[judge] N(0, 1) noise: " + pureNoise);
        assertThat(blurred.frechetDistance()).isGreaterThan(10 * floor);
        assertThat(pureNoise.frechetDistance()).isGreaterThan(100 * floor);
        assertThat(pureNoise.labelAccuracy()).isLessThan(0.3);
        assertThat(blurred.labelAccuracy()).isLessThan(judge.testAccuracy() - 0.1);
    }

    @Test
    void aSecondLoadComesFromTheCacheAndAgreesBitwise() throws Exception {
        try (FashionMnistClassifier again = FashionMnistClassifier.loadOrTrain(FashionMnist.DEFAULT_DIR,
                FashionMnistJudge.defaultCache(), FashionMnistClassifier.Config.DEFAULT)) {
            assertThat(again.source()).isEqualTo(FashionMnistClassifier.Source.CACHE);
            assertThat(again.classify(real)).isEqualTo(judge.classify(real));
        }
    }
}
