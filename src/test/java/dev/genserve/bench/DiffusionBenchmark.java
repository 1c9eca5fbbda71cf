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
 * Diffusion costs on this machine: DSM training steps/s (MLP 3×256, 32 time features, batch 1024, 2-D), sampler
 * throughput (samples × NFE / s for 10k samples), the fp32 matmul ceiling through DJL (2048² matmul, median of
 * repeats) and the achieved fraction of it (a training step ≈ 3× forward FLOPs, forward = 2·B·Σ fan_in·fan_out).
 * Run: {@code ./mvnw -o -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.genserve.bench.DiffusionBenchmark} (or from an IDE).
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

    public static List<Map<String, Object>> run(int trainSteps, int samples, int sampleSteps) {
        List<Map<String, Object>> rows = new ArrayList<>();
        double ceiling = matmulCeiling(2048, 7);
        rows.add(row("fp32 matmul 2048² (DJL)", "GFLOP/s", ceiling, null));

        DiffusionFamily family = new DiffusionFamily();
        TrainingData data = TrainingData.of(ToyDistributions.eightGaussians(20_000, 1L));
        DiffusionConfig config = family.resolve(DiffusionConfig.defaults().withNetwork(256, 3)
                .withTraining(trainSteps, 1024, 1e-3, 0L).withSampling("euler-maruyama", sampleSteps), data);
        long began = System.nanoTime();
        try (DiffusionGenerator generator = family.train(data, config, TrainingContext.simple())) {
            double seconds = (System.nanoTime() - began) / 1e9;
            double stepsPerSecond = trainSteps / seconds;
            double flopsPerStep = 3 * forwardFlops(1024, 2, 32, 256, 3);
            double achieved = stepsPerSecond * flopsPerStep / 1e9;
            rows.add(row("DSM training MLP 3×256 batch 1024 2-D", "steps/s", stepsPerSecond,
                    achieved / ceiling));
            for (String sampler : List.of("euler-maruyama", "pf-ode-heun", "predictor-corrector")) {
                generator.sample(SampleSpec.of(1000, 1L).withSampler(sampler, 5)); // warm-up
                long t0 = System.nanoTime();
                SampleResult result = generator.sample(SampleSpec.of(samples, 1L).withSampler(sampler, sampleSteps));
                double s = (System.nanoTime() - t0) / 1e9;
                double throughput = (double) samples * result.functionEvaluations() / s;
                double gflops = throughput * forwardFlops(1, 2, 32, 256, 3) / 1e9;
                rows.add(row("sampling " + sampler + " " + samples + "×" + sampleSteps + " steps",
                        "samples·NFE/s", throughput, gflops / ceiling));
            }
        }
        return rows;
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
