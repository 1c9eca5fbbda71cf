package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.attractor.AttractorConfig;
import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.attractor.AttractorGenerator;
import dev.genserve.generative.attractor.EstimatorProbe;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.density.GaussianDensity;
import dev.genserve.generative.density.GaussianMixture;
import dev.genserve.generative.metrics.QualityReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The score-estimator study of docs/attractor.md on the 5×5 grid (a Gaussian mixture, so the α = 0 score is exact):
 * (1) the target's second moment E[σ²/v] per time band for window fractions ρ, next to the exact signal at α = 0;
 * (2) minibatch gradient noise of every candidate at one trained network; (3) sample quality of every candidate at
 * the same budget, with a picture. {@code -Dsteps -Dhidden -Dbatch -Dparts=1,2,3 -Dout=dir}.
 */
public final class AttractorEstimatorStudy {

    static final double[] EDGES = {0, 0.01, 0.1, 1, 4.0001};

    record Candidate(String name, String estimator, double fraction, boolean cv) {}

    static final List<Candidate> CANDIDATES = List.of(
            new Candidate("one-step (ρ = 0)", "window", 0, false),
            new Candidate("one-step + control variate", "window", 0, true),
            new Candidate("window ρ = 0.25", "window", 0.25, false),
            new Candidate("window ρ = 0.5", "window", 0.5, false),
            new Candidate("window ρ = 1 (from data)", "window", 1, false),
            new Candidate("window ρ = 1 + control variate", "window", 1, true),
            new Candidate("sliced (FD-SSM)", "sliced", 0, false));

    private AttractorEstimatorStudy() {}

    public static void main(String[] args) throws Exception {
        String parts = System.getProperty("parts", "1,2,3");
        AttractorToys split = AttractorToys.of("grid");
        AttractorConfig base = new AttractorFamily().resolve(AttractorConfig.defaults()
                .withNetwork(integer("hidden", 128), null, null, null)
                .withTraining(integer("steps", 1500), integer("batch", 256), null, null, null)
                .withSimulation(null, null, null, 500), TrainingData.of(split.train()));
        if (parts.contains("1")) {
            moments(split, base);
        }
        if (parts.contains("2") || parts.contains("3")) {
            candidates(split, base, parts.contains("2"), parts.contains("3"));
        }
    }

    private static void moments(AttractorToys split, AttractorConfig base) {
        GaussianMixture standardised = standardise(ToyDistributions.gridMixture(), split.standardizer());
        System.out.println("\n### Target second moment E[σ²/v] per band of t (ε units; signal = E‖s‖²σ²/D)\n");
        System.out.println("| process | ρ | t < 0.01 | 0.01–0.1 | 0.1–1 | 1–4 |\n|---|---|---|---|---|---|");
        for (double alpha : new double[] {0, 1}) {
            AttractorConfig c = base.withProcess(alpha, null, null, null, null);
            if (alpha == 0) {
                print("α = 0: exact signal", "–", EstimatorProbe.exactSignal(standardised, c, EDGES, 20_000));
            }
            for (double rho : new double[] {0, 0.25, 0.5, 1}) {
                print("α = " + (int) alpha, String.valueOf(rho),
                        EstimatorProbe.targetMoment(split.train(), c, rho, EDGES, 200_000));
            }
        }
    }

    private static void print(String process, String rho, double[] v) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.3g | %.3g | %.3g | %.3g |%n", process, rho, v[0], v[1], v[2],
                v[3]);
    }

    private static void candidates(AttractorToys split, AttractorConfig base, boolean noise, boolean quality)
            throws Exception {
        AttractorFamily family = new AttractorFamily();
        TrainingData data = TrainingData.of(split.train());
        List<String> rows = new ArrayList<>();
        AttractorGenerator reference = null;
        List<FloatMatrix> pictures = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        pictures.add(split.standardizer().inverse(split.train().slice(0, 2000)));
        labels.add("data");
        for (Candidate k : CANDIDATES) {
            AttractorConfig c = base.withEstimator(k.estimator(), k.fraction(), k.cv());
            String row = "| " + k.name();
            if (quality) {
                long t0 = System.nanoTime();
                try (AttractorGenerator g = family.train(data, c, new AttractorLab.Printer(c.steps()))) {
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    FloatMatrix x = g.sample(SampleSpec.of(2000, 7).withSampler("reverse-sde", 300)).samples();
                    QualityReport q = split.score(x);
                    row += String.format(Locale.ROOT, " | %.3f | %.2f | %.3f | %.3f | %.0f", q.metric("nn1_accuracy")
                            .value(), q.metric("mmd2_bw0.1").ratio(), q.metric("coverage").value(),
                            q.metric("precision").value(), seconds);
                    pictures.add(split.standardizer().inverse(x));
                    labels.add(k.name());
                    System.out.println(k.name() + ": " + AttractorToys.headline(q));
                    if (k.fraction() == 1 && !k.cv() && noise) {
                        g.save(Path.of(System.getProperty("java.io.tmpdir"), "attractor-study-reference"));
                    }
                }
            }
            rows.add(row);
        }
        if (noise) {
            AttractorConfig refConfig = base.withEstimator("window", 1.0, false);
            Path saved = Path.of(System.getProperty("java.io.tmpdir"), "attractor-study-reference");
            reference = java.nio.file.Files.exists(saved.resolve("model.params"))
                    ? family.load(saved, refConfig, ai.djl.Device.cpu())
                    : family.train(data, refConfig, new AttractorLab.Printer(refConfig.steps()));
            for (int i = 0; i < CANDIDATES.size(); i++) {
                Candidate k = CANDIDATES.get(i);
                double[] g = EstimatorProbe.gradientNoise(split.train(), base.withEstimator(k.estimator(),
                        k.fraction(), k.cv()), reference, 24);
                rows.set(i, rows.get(i) + String.format(Locale.ROOT, " | %.3g | %.3g", g[0], g[1]));
                System.out.println(k.name() + ": gradient noise " + g[0] + ", mean gradient² " + g[1]);
            }
            reference.close();
        }
        System.out.println("\n### Candidates at one budget (" + base.steps() + " steps, " + base.hidden() + " wide, batch "
                + base.batchSize() + "; reverse-sde, 300 steps; grid)\n");
        System.out.println("| estimator |" + (quality ? " 1-NN | mmd2_bw0.1 / floor | coverage | precision | train s |"
                : "") + (noise ? " tr Cov ∇L_B | ‖E ∇L_B‖² |" : ""));
        rows.forEach(System.out::println);
        if (quality) {
            Path out = Path.of(System.getProperty("out", "docs/img"), "attractor_estimators_grid.png");
            Plot.scatterGrid(out, "Score estimators, grid, " + base.steps() + " steps", new String[] {"grid"},
                    labels.toArray(String[]::new), new FloatMatrix[][] {pictures.toArray(FloatMatrix[]::new)}, 2.6);
        }
    }

    /** The mixture in the standardised frame: means (μ − m)/s, covariances Σ_ab/(s_a s_b). */
    static GaussianMixture standardise(GaussianMixture mixture, Standardizer st) {
        double[] m = st.mean();
        double[] s = st.std();
        double[] w = new double[mixture.size()];
        List<GaussianDensity> components = new ArrayList<>();
        for (int k = 0; k < mixture.size(); k++) {
            w[k] = mixture.weight(k);
            double[] mu = mixture.component(k).mean();
            double[][] cov = mixture.component(k).covariance();
            for (int a = 0; a < mu.length; a++) {
                mu[a] = (mu[a] - m[a]) / s[a];
                for (int b = 0; b < mu.length; b++) {
                    cov[a][b] /= s[a] * s[b];
                }
            }
            components.add(new GaussianDensity(mu, cov));
        }
        return new GaussianMixture(w, components);
    }

    private static int integer(String key, int fallback) {
        return Integer.parseInt(System.getProperty(key, String.valueOf(fallback)));
    }
}
