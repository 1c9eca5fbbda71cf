package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Baselines;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.sampling.ScatterPlot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Section 4: sample quality on the 2-D toys (the hard ones first). Per toy, every family trains once with its
 * defaults at the same step budget on the same standardised split ({@link ToySplit}); its default sampler's
 * samples are scored with {@link QualityReport} against the held-out split, every metric next to its floor (the
 * training split scored the same way). The fitted Gaussian ({@link Baselines#fittedGaussian}) is a row that any
 * working model must beat. Models are ranked on the three metrics that see modes: 1-NN two-sample accuracy
 * (distance from 0.5), the finest-bandwidth MMD² as a multiple of its floor, and coverage — never on sliced W2.
 * Pictures: {@code quality_<toy>.png} (data coloured by component, baseline, each family, same axes) and
 * {@code quality_all.png} (every toy).
 */
final class QualitySection extends BenchSection {

    static final String BASELINE = "fitted Gaussian (baseline)";
    private static final long SAMPLE_SEED = 500L;

    /** One scored set of samples: a family's (or the baseline's) and its report. */
    record Scored(String model, String sampler, int nfe, QualityReport report, FloatMatrix samples) {

        boolean baseline() {
            return model.equals(BASELINE);
        }

        double nn1() {
            return report.metric("nn1_accuracy").value();
        }

        double fineMmdRatio() {
            return report.metric(report.finestMmdName()).ratio();
        }

        double coverage() {
            return report.metric("coverage").value();
        }

        double recall() {
            return report.metric("recall").value();
        }

        String label() {
            return baseline() ? model : model + " " + sampler;
        }
    }

    /** A toy's split and its scored rows (baseline first), in report order. */
    record ToyResult(ToySplit split, List<Scored> rows) {}


    QualitySection(BenchContext context) {
        super(context);
    }

    /** Runs every toy; returns the results by toy (the peer section reuses them). */
    Map<String, ToyResult> run() {
        report.line("Each family trains once per toy with **its defaults** (only `steps` = " + settings.steps()
                + " and `seed` = 0 set) on " + ToySplit.TRAIN_ROWS + " standardised points, unlabelled; its default "
                + "sampler at its default step count draws " + settings.evalRows() + " samples (seed " + SAMPLE_SEED
                + "), mapped back to data units. `QualityReport` scores them against " + settings.evalRows()
                + " held-out points; the **floor** row is the training split scored the same way (what a perfect "
                + "generator would get at this n). Metrics: 1-NN two-sample accuracy (0.5 ideal, 1 separable), "
                + "biased MMD² at 0.1×, 0.3× and 1× the held-out median distance (× = multiple of its floor), "
                + "precision/recall (k = 3) and density/coverage (k = 5), for labelled toys modes covered, off-mode "
                + "fraction and mode-mass total variation, then sliced W2 and energy distance (shown, never ranked "
                + "on). **Rank** = mean rank on |1-NN − 0.5|, MMD² bw0.1 × floor and coverage. **vs Gaussian**: "
                + "✓ where the model beats the fitted Gaussian on 1-NN accuracy, recall and coverage (a working model "
                + "beats it on all three; recall alone is generous to blobs, whose k-NN balls are wide).\n");
        Map<String, ToyResult> results = new LinkedHashMap<>();
        for (String toy : settings.toys()) {
            ToySplit split = ToySplit.of(toy, settings.evalRows());
            List<Scored> rows = new ArrayList<>();
            FloatMatrix gaussian = Baselines.fittedGaussian(split.trainRaw(), settings.evalRows(), SAMPLE_SEED);
            rows.add(new Scored(BASELINE, "–", 0, split.score(gaussian), gaussian));
            for (Families.Found f : families) {
                rows.addAll(trainAndScore(f, split, settings.steps(), settings.allSamplers(), settings.evalRows()));
                report.flush();
            }
            ToyResult result = new ToyResult(split, rows);
            results.put(toy, result);
            toyTable(result);
            toyPicture(result);
            report.flush();
        }
        summary(results);
        grid(results);
        return results;
    }

    /**
     * Trains the family with its defaults at {@code steps} on the split and scores its default sampler (every
     * sampler with {@code allSamplers}); a failure becomes a line in the report and no row.
     */
    List<Scored> trainAndScore(Families.Found f, ToySplit split, int steps, boolean allSamplers, int n) {
        List<Scored> rows = new ArrayList<>();
        TrainingData data = split.trainingData();
        long t0 = System.nanoTime();
        try (Generator g = BenchTraining.train(f, data, BenchTraining.defaultsBudget(steps), 3600).generator()) {
            System.out.printf(Locale.ROOT, "[bench] %s/%s trained (%d steps) in %.0f s%n", split.toy(), f.id(), steps,
                    (System.nanoTime() - t0) / 1e9);
            List<String> samplers = g.samplers().isEmpty() ? Arrays.asList((String) null)
                    : allSamplers ? g.samplers() : g.samplers().subList(0, 1);
            for (String sampler : samplers) {
                SampleResult res = g.sample(SampleSpec.of(n, SAMPLE_SEED).withSampler(sampler, null));
                FloatMatrix samples = split.standardizer().inverse(res.samples());
                String name = sampler == null ? "one-step" : sampler;
                rows.add(new Scored(f.id(), name, res.functionEvaluations(), split.score(samples), samples));
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            report.line("- " + split.toy() + " / " + f.id() + ": failed: `" + e + "`");
        }
        return rows;
    }

    /** Rows sorted best first: mean rank on |1-NN − 0.5| (↓), finest MMD² / floor (↓), coverage (↑); ties by 1-NN. */
    static List<Scored> ranked(List<Scored> rows) {
        int n = rows.size();
        double[] score = new double[n];
        addRanks(rows, score, s -> Math.abs(s.nn1() - 0.5));
        addRanks(rows, score, Scored::fineMmdRatio);
        addRanks(rows, score, s -> -s.coverage());
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[a], score[b])
                : Double.compare(Math.abs(rows.get(a).nn1() - 0.5), Math.abs(rows.get(b).nn1() - 0.5)));
        return Arrays.stream(order).map(rows::get).toList();
    }

    private static void addRanks(List<Scored> rows, double[] score, java.util.function.ToDoubleFunction<Scored> key) {
        for (int i = 0; i < rows.size(); i++) {
            double ki = key.applyAsDouble(rows.get(i));
            int better = 0;
            int ties = 0;
            for (int j = 0; j < rows.size(); j++) {
                double kj = key.applyAsDouble(rows.get(j));
                better += kj < ki ? 1 : 0;
                ties += kj == ki && j != i ? 1 : 0;
            }
            score[i] += better + ties / 2.0 + 1; // NaN keys never compare: such a row takes the last rank
            if (Double.isNaN(ki)) {
                score[i] += rows.size();
            }
        }
    }

    /**
     * Against the fitted Gaussian, per criterion: ✓ when better on 1-NN accuracy (lower), recall (higher) and
     * coverage (higher). Recall on the samples' own k-NN balls is generous to blobs (a wide blob has wide balls),
     * so coverage is shown next to it.
     */
    static String versusBaseline(Scored s, Scored baseline) {
        if (s.baseline()) {
            return "–";
        }
        return "1-NN " + mark(s.nn1() < baseline.nn1()) + " recall " + mark(s.recall() > baseline.recall())
                + " coverage " + mark(s.coverage() > baseline.coverage());
    }

    private static String mark(boolean better) {
        return better ? "✓" : "✗";
    }

    private void toyTable(ToyResult r) {
        List<Scored> rows = r.rows();
        QualityReport any = rows.get(0).report();
        List<String> names = any.metrics().stream().map(QualityReport.Metric::name).toList();
        Map<Scored, Integer> rank = new LinkedHashMap<>();
        List<Scored> order = ranked(rows);
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i), i + 1);
        }
        report.line("### " + r.split().toy() + "\n");
        report.line("n = " + any.points() + " per set; MMD bandwidths (data units) " + Arrays.toString(
                Arrays.stream(any.bandwidths()).mapToObj(Stats::fmt).toArray()) + ".\n");
        List<String> columns = new ArrayList<>(List.of("model", "sampler", "NFE"));
        columns.addAll(names);
        columns.addAll(List.of("rank", "vs Gaussian"));
        report.tableHeader(columns);
        StringBuilder floor = new StringBuilder("| **floor** (training split) | – | – |");
        for (QualityReport.Metric m : any.metrics()) {
            floor.append(' ').append(Stats.fmt(m.floor())).append(" |");
        }
        report.line(floor + " – | – |");
        for (Scored s : rows) {
            StringBuilder line = new StringBuilder("| " + s.model() + " | " + s.sampler() + " | "
                    + (s.nfe() == 0 ? "–" : s.nfe()) + " |");
            for (QualityReport.Metric m : s.report().metrics()) {
                line.append(' ').append(Stats.fmt(m.value()));
                if (!Double.isNaN(m.ratio())) {
                    line.append(String.format(Locale.ROOT, " (%.1f×)", m.ratio()));
                }
                line.append(" |");
            }
            report.line(line + " " + rank.get(s) + " | " + versusBaseline(s, rows.get(0)) + " |");
        }
        report.line("\n![" + r.split().toy() + "](quality_" + r.split().toy() + ".png)\n");
    }

    private void toyPicture(ToyResult r) {
        String[] cols = columns(r);
        Plot.Scatter[][] cells = {cells(r, cols)};
        Plot.scatterGrid(out.resolve("quality_" + r.split().toy() + ".png"), r.split().toy() + ": " + settings.steps()
                + " steps, family defaults, default sampler (data coloured by component)",
                new String[] {r.split().toy()}, cols, cells, new ScatterPlot.Window[] {window(r)});
    }

    private void grid(Map<String, ToyResult> results) {
        if (results.isEmpty()) {
            return;
        }
        List<String> cols = new ArrayList<>(List.of("held-out data"));
        cols.addAll(modelLabels(results));
        String[] colArray = cols.toArray(String[]::new);
        Plot.Scatter[][] cells = new Plot.Scatter[results.size()][];
        ScatterPlot.Window[] windows = new ScatterPlot.Window[results.size()];
        String[] rowNames = new String[results.size()];
        int i = 0;
        for (ToyResult r : results.values()) {
            cells[i] = cells(r, colArray);
            windows[i] = window(r);
            rowNames[i] = r.split().toy();
            i++;
        }
        Plot.scatterGrid(out.resolve("quality_all.png"), "Held-out data, the fitted Gaussian and each family ("
                + settings.steps() + " steps, defaults)", rowNames, colArray, cells, windows);
        report.line("![all toys](quality_all.png)\n");
    }

    /** Every model's label over all toys, in first-seen order. */
    private static List<String> modelLabels(Map<String, ToyResult> results) {
        return results.values().stream().flatMap(r -> r.rows().stream()).map(Scored::label).distinct().toList();
    }

    private static String[] columns(ToyResult r) {
        List<String> cols = new ArrayList<>();
        cols.add("held-out data");
        r.rows().forEach(s -> cols.add(s.label()));
        return cols.toArray(String[]::new);
    }

    private static Plot.Scatter[] cells(ToyResult r, String[] cols) {
        Plot.Scatter[] cells = new Plot.Scatter[cols.length];
        for (int c = 0; c < cols.length; c++) {
            if (cols[c].equals("held-out data")) {
                cells[c] = new Plot.Scatter(r.split().heldOut(), r.split().heldOutLabels());
            }
            for (Scored s : r.rows()) {
                if (s.label().equals(cols[c])) {
                    cells[c] = Plot.Scatter.of(s.samples());
                }
            }
        }
        return cells;
    }

    private static ScatterPlot.Window window(ToyResult r) {
        return ScatterPlot.Window.around(r.split().heldOut());
    }

    /** The cross-toy table (1-NN / MMD² bw0.1 × floor / coverage per model) and one headline per toy. */
    private void summary(Map<String, ToyResult> results) {
        if (results.isEmpty()) {
            return;
        }
        List<String> models = modelLabels(results);
        report.line("### Summary: 1-NN accuracy / MMD² bw0.1 as a multiple of its floor / coverage\n");
        report.line("Floors: 1-NN ≈ 0.5, MMD ratio 1×, coverage as in the floor column. Ranking best first.\n");
        List<String> columns = new ArrayList<>(List.of("toy", "floor"));
        columns.addAll(models);
        columns.add("ranking");
        report.tableHeader(columns);
        for (ToyResult r : results.values()) {
            QualityReport any = r.rows().get(0).report();
            StringBuilder line = new StringBuilder("| " + r.split().toy() + " | " + String.format(Locale.ROOT,
                    "%.2f / 1× / %.2f", any.metric("nn1_accuracy").floor(), any.metric("coverage").floor()) + " |");
            for (String m : models) {
                Scored s = r.rows().stream().filter(x -> x.label().equals(m)).findFirst().orElse(null);
                line.append(' ').append(s == null ? "–" : compact(s)).append(" |");
            }
            List<Scored> order = ranked(r.rows());
            String ranking = String.join(" > ", order.stream().map(s -> s.baseline() ? "Gaussian" : s.label())
                    .toList());
            report.line(line + " " + ranking + " |");
            report.headline("quality " + r.split().toy() + ": " + String.join(" > ", order.stream()
                    .map(s -> (s.baseline() ? "Gaussian" : s.model()) + " (" + compact(s) + ")").toList()));
        }
        report.line("");
    }

    static String compact(Scored s) {
        return String.format(Locale.ROOT, "%.2f / %.1f× / %.2f", s.nn1(), s.fineMmdRatio(), s.coverage());
    }
}
