package dev.genserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.score.DiffusionConfig;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.score.DiffusionGenerator;
import dev.genserve.generative.train.TrainingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Diffusion costs on this machine: training steps/s of the old network (MLP 3×256, ε-parametrisation) and of the
 * default one (residual FiLM MLP 3×128 on 64 Fourier features, EDM), measured back to back in alternating rounds
 * (old, new, old, new, …) so that a change in the machine's load hits both, with the ratio new/old per round and
 * the forward multiply-adds of each (batch 1024, 2-D); sampler throughput (samples × NFE / s for 10k samples) of
 * the default network; the fp32 matmul ceiling through DJL (2048² matmul, median of repeats) and the achieved
 * fraction of it (a training step ≈ 3× forward FLOPs, forward = 2·B·Σ fan_in·fan_out).
 * Run on an otherwise idle machine: {@code ./mvnw -o -q test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test && java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1
 * -cp target/test-classes:target/classes:$(cat cp.txt) dev.genserve.bench.DiffusionBenchmark 300}.
 */
public final class DiffusionBenchmark {

    private DiffusionBenchmark() {}

    public static void main(String[] args) {
        int trainSteps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        for (Map<String, Object> row : run(trainSteps, 10_000, 50)) {
            System.out.println(row);
        }
    }

    /** Forward FLOPs of the 3×256 score MLP for one batch of B rows of dimension D with F time features. */
    static double forwardFlops(int batch, int dim, int features, int hidden, int depth) {
        double macs = (double) (dim + features) * hidden + (double) (depth - 1) * hidden * hidden + hidden * dim;
        return 2.0 * batch * macs;
    }

    /**
     * Forward FLOPs of the residual FiLM MLP: input layer on [x, 2m Fourier features], the conditioning embedding
     * (F → e), per block W₁ (h × h), FiLM (e × 2h), W₂ (h × h), and the output (h × D); the Fourier projection (D × m)
     * too. Layer norms, SiLU and the FiLM products are elementwise and left out (as they are for the plain MLP).
     */
    static double residualForwardFlops(int batch, int dim, int features, int hidden, int blocks, int fourier,
            int film) {
        double macs = (double) dim * fourier + (double) (dim + 2 * fourier) * hidden + (double) features * film
                + blocks * (2.0 * hidden * hidden + 2.0 * film * hidden) + (double) hidden * dim;
        return 2.0 * batch * macs;
    }

    public static List<Map<String, Object>> run(int trainSteps, int samples, int sampleSteps) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double ceiling = matmulCeiling(2048, 7);
        rows.add(row("fp32 matmul 2048² (DJL)", "GFLOP/s", ceiling, null));

        DiffusionFamily family = new DiffusionFamily();
        TrainingData data = TrainingData.of(ToyDistributions.eightGaussians(20_000, 1L));
        DiffusionConfig oldNet = family.resolve(DiffusionConfig.defaults().withArchitecture("mlp", null, null)
                .withPreconditioning("epsilon", null, null, null).withNetwork(256, 3)
                .withTraining(trainSteps, 1024, 1e-3, 0L).withSampling("euler-maruyama", sampleSteps), data);
        DiffusionConfig newNet = family.resolve(DiffusionConfig.defaults().withTraining(trainSteps, 1024, 2e-3, 0L)
                .withSampling("euler-maruyama", sampleSteps), data);
        double oldFlops = forwardFlops(1024, 2, 32, 256, 3);
        double newFlops = residualForwardFlops(1024, 2, 32, newNet.hidden(), newNet.depth(), newNet.fourierCount(),
                32);
        rows.add(row("forward multiply-adds per row, new/old", "ratio", newFlops / oldFlops, null));
        int rounds = 3;
        double[] ratio = new double[rounds];
        double oldSum = 0;
        double newSum = 0;
        for (int r = 0; r < rounds; r++) {
            double a = trainingStepsPerSecond(family, data, oldNet);
            double b = trainingStepsPerSecond(family, data, newNet);
            ratio[r] = b / a;
            oldSum += a;
            newSum += b;
        }
        rows.add(row("DSM training old MLP 3×256 ε batch 1024 2-D", "steps/s", oldSum / rounds,
                oldSum / rounds * 3 * oldFlops / 1e9 / ceiling));
        rows.add(row("training default resmlp 3×128 + 64 Fourier, EDM, batch 1024 2-D", "steps/s", newSum / rounds,
                newSum / rounds * 3 * newFlops / 1e9 / ceiling));
        Arrays.sort(ratio);
        rows.add(row("training speed new/old (median of " + rounds + " back-to-back rounds)", "ratio",
                ratio[rounds / 2], null));
        try (DiffusionGenerator generator = family.train(data, newNet, TrainingContext.simple())) {
            for (String sampler : List.of("euler-maruyama", "pf-ode-heun", "predictor-corrector")) {
                generator.sample(SampleSpec.of(1000, 1L).withSampler(sampler, 5)); // warm-up
                long t0 = System.nanoTime();
                SampleResult result = generator.sample(SampleSpec.of(samples, 1L).withSampler(sampler, sampleSteps));
                double s = (System.nanoTime() - t0) / 1e9;
                double throughput = (double) samples * result.functionEvaluations() / s;
                double gflops = throughput * newFlops / 1024 / 1e9;
                rows.add(row("sampling (default network) " + sampler + " " + samples + "×" + sampleSteps + " steps",
                        "samples·NFE/s", throughput, gflops / ceiling));
            }
        }
        return rows;
    }

    /** Steps/s of one training run of the config (after a 20-step warm-up run). */
    private static double trainingStepsPerSecond(DiffusionFamily family, TrainingData data, DiffusionConfig config) {
        DiffusionConfig warm = family.resolve(config.withTraining(20, config.batchSize(), config.learningRate(), 0L),
                data);
        family.train(data, warm, TrainingContext.simple()).close();
        long began = System.nanoTime();
        family.train(data, config, TrainingContext.simple()).close();
        return config.steps() / ((System.nanoTime() - began) / 1e9);
    }

    private static Map<String, Object> row(String name, String unit, double value, Double fraction) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", name);
        m.put("unit", unit);
        m.put("value", Math.round(value * 10) / 10.0);
        if (fraction != null) {
            m.put("fractionOfCeiling", Math.round(fraction * 1000) / 1000.0);
        }
        return m;
    }

    /** Median GFLOP/s of an n × n fp32 matmul over repeats (after one warm-up). */
    static double matmulCeiling(int n, int repeats) {
        try (NDManager m = NDManager.newBaseManager()) {
            RandomSource random = new RandomSource(1);
            NDArray a = random.normal(m, new Shape(n, n));
            NDArray b = random.normal(m, new Shape(n, n));
            a.matMul(b).close();
            double[] gflops = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // force completion
                double s = (System.nanoTime() - t0) / 1e9;
                c.close();
                gflops[r] = 2.0 * n * n * (double) n / s / 1e9;
            }
            Arrays.sort(gflops);
            return gflops[repeats / 2];
        }
    }
}
