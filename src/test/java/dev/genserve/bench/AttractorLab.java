package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.attractor.AttractorConfig;
import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.attractor.AttractorGenerator;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Research driver: train the attractor on one toy with -D overrides, print quality at several step counts. */
public final class AttractorLab {

    public static void main(String[] args) throws java.io.IOException {
        String toy = System.getProperty("toy", "grid");
        AttractorToys split = AttractorToys.of(toy);
        AttractorConfig config = AttractorConfig.defaults()
                .withProcess(d("alpha"), d("beta"), d("lambda"), d("delta"), d("horizon"))
                .withSimulation(i("K"), d("p"), i("cloud"), i("resim"))
                .withEstimator(System.getProperty("estimator"), d("rho"), b("cv"))
                .withNetwork(i("hidden"), i("depth"), i("fourier"), d("fscale"))
                .withTraining(i("steps"), i("batch"), d("lr"), i("warmup"), d("ema"))
                .withSampling(null, null, d("q"), null);
        AttractorFamily family = new AttractorFamily();
        AttractorConfig resolved = family.resolve(config, TrainingData.of(split.train()));
        System.out.println("config " + resolved);
        long t0 = System.nanoTime();
        Printer printer = new Printer(resolved.steps());
        if ("vp".equals(System.getProperty("model"))) {
            try (VpReference vp = new VpReference(split.train(), resolved, printer)) {
                System.out.printf(Locale.ROOT, "VP trained in %.0f s%n", (System.nanoTime() - t0) / 1e9);
                for (String sampler : System.getProperty("samplers", "euler-maruyama").split(",")) {
                    for (String s : System.getProperty("sampleSteps", "500").split(",")) {
                        FloatMatrix x = vp.sample(2000, 7, sampler, Integer.parseInt(s));
                        System.out.printf(Locale.ROOT, "%s VP %s steps=%s: %s%n", toy, sampler, s,
                                AttractorToys.headline(split.score(x)));
                    }
                }
            }
            return;
        }
        String load = System.getProperty("load");
        try (AttractorGenerator g = load != null ? family.load(Path.of(load), resolved, ai.djl.Device.cpu())
                : family.train(TrainingData.of(split.train()), resolved, printer)) {
            System.out.printf(Locale.ROOT, "trained in %.0f s%n", (System.nanoTime() - t0) / 1e9);
            if (System.getProperty("save") != null) {
                g.save(Path.of(System.getProperty("save")));
            }
            List<FloatMatrix> pics = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            pics.add(split.standardizer().inverse(split.train().slice(0, 2000)));
            labels.add("data");
            for (String sampler : System.getProperty("samplers", "reverse-sde").split(",")) {
                for (String s : System.getProperty("sampleSteps", "100").split(",")) {
                    int steps = Integer.parseInt(s);
                    long s0 = System.nanoTime();
                    FloatMatrix x = g.sample(SampleSpec.of(2000, 7).withSampler(sampler, steps)).samples();
                    QualityReport q = split.score(x);
                    System.out.printf(Locale.ROOT, "%s %s steps=%d: %s  (%.0f s)%n", toy, sampler, steps,
                            AttractorToys.headline(q), (System.nanoTime() - s0) / 1e9);
                    pics.add(split.standardizer().inverse(x));
                    labels.add(sampler + " " + steps);
                }
            }
            String out = System.getProperty("png", "/tmp/attr-lab-" + toy + ".png");
            double lim = toy.equals("grid") ? 2.6 : 3.0;
            Plot.scatterGrid(Path.of(out), "attractor " + toy, new String[] {toy}, labels.toArray(String[]::new),
                    new FloatMatrix[][] {pics.toArray(FloatMatrix[]::new)}, lim);
        }
    }

    private static Double d(String key) {
        String v = System.getProperty(key);
        return v == null ? null : Double.valueOf(v);
    }

    private static Integer i(String key) {
        String v = System.getProperty(key);
        return v == null ? null : Integer.valueOf(v);
    }

    private static Boolean b(String key) {
        String v = System.getProperty(key);
        return v == null ? null : Boolean.valueOf(v);
    }

    /** Prints the smoothed loss every 500 steps. */
    static final class Printer implements TrainingContext {
        private final int total;
        private long began = System.nanoTime();

        Printer(int total) {
            this.total = total;
        }

        @Override
        public void report(TrainingProgress p) {
            if (p.step() % 500 == 0 || p.step() == total) {
                System.out.printf(Locale.ROOT, "  step %d loss %.4f (%.1f s)%n", p.step(), p.loss(),
                        (System.nanoTime() - began) / 1e9);
            }
        }
    }
}
