package dev.genserve.generative.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.GeneratorFamily;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.score.DiffusionFamily;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every family, trained a few steps with the garbage collector run (and freed native memory poisoned) between each
 * forward and backward pass, must produce exactly the model an undisturbed run produces: no tensor in any family's
 * autograd graph may alias memory the JVM can release (the cause of the sporadic non-finite gradients; see
 * {@code Networks.silu}).
 */
class BackwardReadsNoFreedMemoryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyFamilyTrainsBitwiseTheSameUnderHostileGarbageCollection() {
        TrainingData data = TrainingData.of(ToyDistributions.eightGaussians(512, 1));
        check(new DiffusionFamily(), "{\"steps\":6,\"batchSize\":64,\"hidden\":32,\"depth\":2,\"seed\":3}", data);
        check(new AttractorFamily(), "{\"steps\":6,\"batchSize\":64,\"hidden\":32,\"depth\":2,\"seed\":3,"
                + "\"cloudSize\":64,\"simulationSteps\":8}", data);
        check(new DriftingFamily(), "{\"steps\":6,\"positives\":64,\"generated\":64,\"hidden\":32,\"depth\":2,"
                + "\"seed\":3}", data); // the default codebook generator (K = 64)
        check(new DriftingFamily(), "{\"steps\":6,\"positives\":64,\"generated\":64,\"hidden\":32,\"depth\":2,"
                + "\"seed\":3,\"codebook\":0}", data); // the plain MLP generator
    }

    private static <C> void check(GeneratorFamily<C> family, String config, TrainingData data) {
        C resolved = family.resolve(JSON.readValue(config, family.configType()), data);
        FloatMatrix plain = trainAndSample(family, resolved, data, TrainingContext.simple());
        FloatMatrix hostile = trainAndSample(family, resolved, data, new HostileGarbageCollection());
        for (float v : hostile.data()) {
            assertThat(Float.isFinite(v)).as(family.id()).isTrue();
        }
        assertThat(hostile).as(family.id() + " trained under hostile GC").isEqualTo(plain);
    }

    private static <C> FloatMatrix trainAndSample(GeneratorFamily<C> family, C config, TrainingData data,
            TrainingContext context) {
        try (Generator g = family.train(data, config, context)) {
            List<String> samplers = g.samplers();
            SampleSpec spec = SampleSpec.of(64, 9);
            return g.sample(samplers.isEmpty() ? spec : spec.withSampler(null, 10)).samples();
        }
    }
}
