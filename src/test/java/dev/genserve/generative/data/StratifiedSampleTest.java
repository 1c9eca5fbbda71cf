package dev.genserve.generative.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StratifiedSampleTest {

    /**
     * 1-D rows 0..99 in 4 cells: the partition is exactly [0, 25), [25, 50), [50, 75), [75, 100), so the picks are one
     * from each quarter, in order; independent draws would leave a quarter empty 32 % of the time.
     */
    @Test
    void picksOneRowFromEachEqualMassCell() {
        float[] v = new float[100];
        for (int i = 0; i < v.length; i++) {
            v[(i * 37) % 100] = i; // the row order is scrambled; the values are 0..99
        }
        FloatMatrix rows = new FloatMatrix(v, 100, 1);
        for (long seed = 0; seed < 20; seed++) {
            int[] picks = StratifiedSample.indices(rows, 4, new RandomSource(seed));
            for (int cell = 0; cell < 4; cell++) {
                assertThat(rows.get(picks[cell], 0)).as("seed " + seed + " cell " + cell)
                        .isBetween(25f * cell, 25f * cell + 24);
            }
        }
        assertThat(StratifiedSample.indices(rows, 4, new RandomSource(3)))
                .containsExactly(StratifiedSample.indices(rows, 4, new RandomSource(3)));
    }

    /**
     * The 25-mode grid with K = 512: the per-mode pick counts scatter around their expected share (20.5) with an sd
     * well under half that of 512 independent draws (binomial sd 4.4), over 10 seeds.
     */
    @Test
    void givesEveryModeOfTheGridItsShareFarMoreEvenlyThanIndependentDraws() {
        ToyDistributions.Labeled grid = ToyDistributions.labeledOrEmpty("grid", 20_000, 1).orElseThrow();
        double[] expected = new double[25];
        for (int label : grid.labels()) {
            expected[label] += 512.0 / 20_000;
        }
        double stratified = 0;
        double independent = 0;
        for (long seed = 0; seed < 10; seed++) {
            int[] counts = new int[25];
            for (int i : StratifiedSample.indices(grid.points(), 512, new RandomSource(seed))) {
                counts[grid.labels()[i]]++;
            }
            int[] drawn = new int[25];
            RandomSource random = new RandomSource(seed);
            for (int i = 0; i < 512; i++) {
                drawn[grid.labels()[random.nextInt(20_000)]]++;
            }
            for (int m = 0; m < 25; m++) {
                stratified += Math.pow(counts[m] - expected[m], 2) / 250;
                independent += Math.pow(drawn[m] - expected[m], 2) / 250;
            }
        }
        System.out.printf(java.util.Locale.ROOT, "per-mode pick sd: stratified %.2f, independent %.2f%n",
                Math.sqrt(stratified), Math.sqrt(independent));
        assertThat(Math.sqrt(independent)).as("independent draws: binomial sd 4.4").isBetween(3.5, 5.5);
        assertThat(Math.sqrt(stratified)).as("stratified sd").isLessThan(0.5 * Math.sqrt(independent));
    }

    @Test
    void cyclesWhenThereAreFewerRowsThanPicksAndRejectsNonsense() {
        FloatMatrix rows = new FloatMatrix(new float[] {5, 6, 7}, 3, 1);
        int[] picks = StratifiedSample.indices(rows, 7, new RandomSource(1));
        assertThat(Arrays.copyOf(picks, 3)).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(picks[3]).isEqualTo(picks[0]);
        assertThat(picks[6]).isEqualTo(picks[0]);
        assertThatThrownBy(() -> StratifiedSample.indices(rows, 0, new RandomSource(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StratifiedSample.indices(new FloatMatrix(new float[0], 0, 1), 2, new RandomSource(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
