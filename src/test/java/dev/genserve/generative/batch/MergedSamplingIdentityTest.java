package dev.genserve.generative.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.drifting.DriftingConfig;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.score.DiffusionConfig;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.train.TrainingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Merging requests never changes a request's bytes: for every family that merges (diffusion with each of its samplers,
 * drifting unconditional and conditional), {@code sampleBatch} over requests of assorted sizes (1 row, within a
 * chunk, across chunk boundaries) and seeds returns, bit for bit, what each request gets alone, in any order. The
 * networks are 100 wide on purpose: a width that is not a multiple of 16 is where a plain merged forward pass differs
 * per row (see {@link RowChunks}). Tiny, barely trained models: the property does not depend on the weights.
 */
class MergedSamplingIdentityTest {

    private static final TrainingData EIGHT = TrainingData.of(ToyDistributions.eightGaussians(2000, 1L));
    private static final int[] SIZES = {1, 3, 10, 64, 65, 130};
    /** Drifting merges requests of up to 32 rows only (a quarter of its 128-row chunk); 141 rows cross a chunk. */
    private static final int[] DRIFTING_SIZES = {1, 3, 10, 31, 32, 32, 32};

    private static Generator diffusion;
    private static Generator drifting;
    private static Generator conditional;

    @BeforeAll
    static void train() {
        DiffusionFamily diffusionFamily = new DiffusionFamily();
        diffusion = diffusionFamily.train(EIGHT, diffusionFamily.resolve(DiffusionConfig.defaults()
                .withNetwork(100, 2).withTraining(3, 64, 1e-3, 5L), EIGHT), TrainingContext.simple());
        DriftingFamily driftingFamily = new DriftingFamily();
        DriftingConfig tinyDrifting = DriftingConfig.defaults().withNetwork(100, 2).withSteps(3).withBatch(64, 64);
        drifting = driftingFamily.train(EIGHT, driftingFamily.resolve(tinyDrifting, EIGHT), TrainingContext.simple());
        ToyDistributions.Labeled labelled = ToyDistributions.eightGaussiansLabeled(2000, 1);
        TrainingData classes = new TrainingData(labelled.points(), labelled.labels(), 8, null);
        conditional = driftingFamily.train(classes, driftingFamily.resolve(tinyDrifting, classes),
                TrainingContext.simple());
    }

    @AfterAll
    static void close() {
        for (Generator g : new Generator[] {diffusion, drifting, conditional}) {
            if (g != null) {
                g.close();
            }
        }
    }

    private static List<SampleSpec> requests(String sampler, Integer steps) {
        return requests(SIZES, sampler, steps);
    }

    private static List<SampleSpec> requests(int[] sizes, String sampler, Integer steps) {
        List<SampleSpec> specs = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            specs.add(SampleSpec.of(sizes[i], 1000L + 7 * i).withSampler(sampler, steps));
        }
        return specs;
    }

    /** Each request merged (in the given order and reversed) equals the same request alone, bitwise. */
    private static void assertMergedEqualsAlone(Generator g, List<SampleSpec> specs) {
        Object key = g.batchKey(specs.get(0));
        assertThat(key).as("these requests are mergeable").isNotNull();
        assertThat(specs).allSatisfy(s -> assertThat(g.batchKey(s)).isEqualTo(key));
        List<FloatMatrix> alone = specs.stream().map(s -> g.sample(s).samples()).toList();
        List<SampleResult> merged = g.sampleBatch(specs);
        List<SampleSpec> reversed = new ArrayList<>(specs);
        Collections.reverse(reversed);
        List<SampleResult> mergedReversed = g.sampleBatch(reversed);
        for (int i = 0; i < specs.size(); i++) {
            SampleSpec s = specs.get(i);
            assertThat(merged.get(i).samples()).as("request n=%d merged", s.n()).isEqualTo(alone.get(i));
            assertThat(mergedReversed.get(specs.size() - 1 - i).samples()).as("request n=%d merged, reversed", s.n())
                    .isEqualTo(alone.get(i));
            SampleResult solo = g.sample(s);
            assertThat(merged.get(i).functionEvaluations()).isEqualTo(solo.functionEvaluations());
            assertThat(merged.get(i).labels()).as("request n=%d labels", s.n()).isEqualTo(solo.labels());
        }
        assertThat(alone.get(2)).as("different seeds give different samples").isNotEqualTo(alone.get(3).slice(0, 10));
    }

    @Test
    void diffusionEveryMultiStepSampler() {
        for (String sampler : diffusion.samplers()) {
            assertMergedEqualsAlone(diffusion, requests(sampler, 6));
        }
    }

    @Test
    void diffusionKeysMergeOnlyWhatIsByteIdentical() {
        SampleSpec base = SampleSpec.of(10, 1L);
        String defaultSampler = diffusion.samplers().get(0);
        assertThat(diffusion.batchKey(base)).as("default sampler and steps spelt out or not: one key")
                .isEqualTo(diffusion.batchKey(base.withSampler(defaultSampler, 500)));
        assertThat(diffusion.batchKey(base.withSampler(defaultSampler, 50)))
                .isNotEqualTo(diffusion.batchKey(base.withSampler(defaultSampler, 51)))
                .isNotEqualTo(diffusion.batchKey(base.withSampler("pf-ode-heun", 50)));
        assertThat(diffusion.batchKey(base.withTrajectory(3))).as("trajectories run alone").isNull();
        assertThat(diffusion.batchKey(SampleSpec.of(257, 1L))).as("large requests run alone").isNull();
    }

    @Test
    void driftingOneStep() {
        assertMergedEqualsAlone(drifting, requests(DRIFTING_SIZES, null, null));
        assertThat(drifting.batchKey(SampleSpec.of(32, 1L))).isNotNull();
        assertThat(drifting.batchKey(SampleSpec.of(33, 1L))).as("larger requests run alone").isNull();
    }

    @Test
    void conditionalDriftingMergesAcrossClassesAndGuidance() {
        List<SampleSpec> specs = new ArrayList<>();
        for (int i = 0; i < DRIFTING_SIZES.length; i++) {
            Integer label = i % 3 == 0 ? null : i;
            specs.add(SampleSpec.of(DRIFTING_SIZES[i], 40L + i).withClass(label, i % 2 == 0 ? 1.0 : 1.5));
        }
        assertMergedEqualsAlone(conditional, specs);
        assertThat(conditional.sampleBatch(specs).get(1).labels()).as("each sample's class comes back").containsOnly(1);
    }
}
