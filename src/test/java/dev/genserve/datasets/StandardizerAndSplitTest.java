package dev.genserve.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StandardizerAndSplitTest {

    @Test
    void standardizerCentresScalesAndInverts() {
        FloatMatrix x = ToyDistributions.byName("moons", 2000, 3);
        Standardizer s = Standardizer.fit(x);
        double[][] z = Standardizer.columnStatistics(s.forward(x));
        assertThat(z[0][0]).isCloseTo(0, within(1e-5));
        assertThat(z[1][1]).isCloseTo(1, within(1e-5));
        FloatMatrix back = s.inverse(s.forward(x));
        for (int k = 0; k < x.data().length; k++) {
            assertThat(back.data()[k]).isCloseTo(x.data()[k], within(1e-5f));
        }
        assertThat(Standardizer.of(s.mean(), s.std())).isEqualTo(s);
    }

    @Test
    void stdFloorForConstantFeatures() {
        FloatMatrix x = FloatMatrix.of(new float[][] {{1, 5, 0}, {3, 5, 0}});
        Standardizer s = Standardizer.fit(x);
        assertThat(s.std()).containsExactly(1.0, 1e-3, 1e-3);
        assertThat(Standardizer.fit(FloatMatrix.of(new float[][] {{2}, {2}})).std()).containsExactly(1e-6);
        assertThat(s.forward(x).data()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY);
    }

    @Test
    void globalStandardizerForImages() {
        FloatMatrix x = FloatMatrix.of(new float[][] {{0, 1}, {0, 1}});
        Standardizer s = Standardizer.fitGlobal(x);
        assertThat(s.mean()).containsExactly(0.5, 0.5);
        assertThat(s.std()).containsExactly(0.5, 0.5);
    }

    static LoadedDataset dataset(int n) {
        float[] v = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
            labels[i] = i % 3;
        }
        FloatMatrix m = new FloatMatrix(v, n, 1);
        double[][] st = Standardizer.columnStatistics(m);
        return new LoadedDataset(UUID.randomUUID(), "t", m, labels, 3, null, st[0], st[1], null, "0".repeat(64));
    }

    @Test
    void splitIsDeterministicDisjointAndCapped() {
        LoadedDataset d = dataset(1000);
        DatasetSplit a = DatasetSplit.split(d, 0.1, 42);
        DatasetSplit b = DatasetSplit.split(d, 0.1, 42);
        DatasetSplit c = DatasetSplit.split(d, 0.1, 43);
        assertThat(a.heldOutIndices()).hasSize(100).isEqualTo(b.heldOutIndices());
        assertThat(a.heldOutIndices()).isNotEqualTo(c.heldOutIndices());
        assertThat(a.train().rows()).isEqualTo(900);
        Set<Integer> all = new HashSet<>();
        Arrays.stream(a.trainIndices()).forEach(all::add);
        Arrays.stream(a.heldOutIndices()).forEach(all::add);
        assertThat(all).hasSize(1000);
        for (int k = 0; k < a.heldOutIndices().length; k++) {    // rows and labels follow their indices
            int i = a.heldOutIndices()[k];
            assertThat(a.heldOut().get(k, 0)).isEqualTo((float) i);
            assertThat(a.heldOutLabels()[k]).isEqualTo(i % 3);
        }
        assertThat(DatasetSplit.split(d, 0.5, 1, 50).heldOut().rows()).isEqualTo(50);
        assertThat(DatasetSplit.split(dataset(3), 0.1, 1).heldOut().rows()).isEqualTo(1);
        assertThat(DatasetSplit.split(dataset(2), 0.5, 1).train().rows()).isEqualTo(2);
        assertThat(a.trainingData(d, d.standardizer()).rows().rows()).isEqualTo(900);
    }

    @Test
    void builtinsMaterialiseWithLabels() {
        BuiltinDatasets b = new BuiltinDatasets(null, 100, DatasetLimits.DEFAULT);
        assertThat(b.names()).containsExactlyElementsOf(ToyDistributions.NAMES);
        ParsedDataset moons = b.materialise("moons", 50, 7);
        assertThat(moons.rows()).isEqualTo(ToyDistributions.byName("moons", 50, 7));
        assertThat(moons.numClasses()).isEqualTo(2);
        assertThat(b.materialise("checkerboard", 10, 1).labels()).isNull();
    }
}
