package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.ToyDistributions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Section 6: training ms/step and sampling time as the batch N grows (D = 2) and as D grows (N = 1024). */
final class ScaleSection extends BenchSection {

    ScaleSection(BenchContext context) {
        super(context);
    }

    void run() {
        int[] ns = Arrays.stream(new int[] {512, 1024, 2048, 4096, 8192}).filter(n -> n <= settings.scaleMaxN())
                .toArray();
        int[] ds = {2, 8, 32, 128, 256};
        report.line("Training: " + settings.scaleSteps() + " steps per point, first 3 dropped, the rest in 3 windows. "
                + "Sampling: N samples (multi-step samplers at 20 steps), " + settings.repeats() + " repeats. "
                + "N sweep at D = 2; D sweep at N = 1024 (standard Gaussian data). A family whose step exceeds "
                + "the per-point time cap skips the larger sizes.\n");
        report.line("| family | N (batch) | D | train ms/step | sample ms (N samples) |");
        report.line("|---|---|---|---|---|");
        List<Plot.Series> trainN = new ArrayList<>();
        List<Plot.Series> sampleN = new ArrayList<>();
        List<Plot.Series> trainD = new ArrayList<>();
        List<Plot.Series> sampleD = new ArrayList<>();
        for (Families.Found f : families) {
            sweep(f, ns, new int[] {2}, trainN, sampleN, true);
            sweep(f, new int[] {1024}, ds, trainD, sampleD, false);
        }
        List<java.awt.image.BufferedImage> panels = List.of(
                Plot.linePanel("training step vs N (D=2)", "N (batch)", "ms / step", true, true, trainN, 560, 400),
                Plot.linePanel("sampling N samples (D=2)", "N", "ms", true, true, sampleN, 560, 400),
                Plot.linePanel("training step vs D (N=1024)", "D", "ms / step", true, true, trainD, 560, 400),
                Plot.linePanel("sampling 1024 samples vs D", "D", "ms", true, true, sampleD, 560, 400));
        Plot.grid(out.resolve("scale.png"), panels, 2);
        report.line("\n![scale](scale.png)\n");
        report.line("On a log-log plot a slope of 1 is linear cost. Below ~1k rows the per-op overhead "
                + "(section 1) dominates and the curves are flat; drifting's field is O(N²) per step.\n");
    }

    private void sweep(Families.Found f, int[] ns, int[] ds, List<Plot.Series> trainSeries,
            List<Plot.Series> sampleSeries, boolean overN) {
        List<Double> xs = new ArrayList<>();
        List<Stats> train = new ArrayList<>();
        List<Stats> sample = new ArrayList<>();
        double capSeconds = settings.quick() ? 30 : 90;
        outer:
        for (int n : ns) {
            for (int d : ds) {
                FloatMatrix x = ToyDistributions.standardGaussian(Math.max(2 * n, 4096), d, 7);
                BenchTraining.Timed t;
                try {
                    t = BenchTraining.train(f, TrainingData.of(x),
                            BenchTraining.referenceBudget(settings.scaleSteps(), n), capSeconds, 3);
                } catch (RuntimeException e) {
                    report.line("| " + f.id() + " | " + n + " | " + d + " | failed: `" + e.getMessage() + "` | |");
                    break outer;
                }
                Stats sampleMs;
                try (Generator g = t.generator()) {
                    String sampler = g.samplers().isEmpty() ? null : g.samplers().get(0);
                    Integer steps = sampler == null ? null : 20;
                    g.sample(SampleSpec.of(Math.min(n, 256), 1).withSampler(sampler, steps));
                    double[] ms = new double[settings.repeats()];
                    for (int r = 0; r < ms.length; r++) {
                        long t0 = System.nanoTime();
                        g.sample(SampleSpec.of(n, 10 + r).withSampler(sampler, steps));
                        ms[r] = (System.nanoTime() - t0) / 1e6;
                    }
                    sampleMs = Stats.of(ms);
                }
                Stats trainMs = t.stepsPerSecond().inverse().times(1000);
                report.line("| " + f.id() + " | " + n + " | " + d + " | " + trainMs.show() + " | " + sampleMs.show()
                        + " |");
                report.flush();
                xs.add((double) (overN ? n : d));
                train.add(trainMs);
                sample.add(sampleMs);
                if (t.capped()) {
                    report.line("| " + f.id() + " | larger sizes skipped: time cap " + capSeconds + " s reached | | | |");
                    break outer;
                }
            }
        }
        double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
        trainSeries.add(Plot.Series.withSpread(f.id(), xa, train.toArray(Stats[]::new)));
        sampleSeries.add(Plot.Series.withSpread(f.id(), xa, sample.toArray(Stats[]::new)));
    }
}
