package dev.genserve.generative.metrics;

import dev.genserve.generative.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The quality of generated samples against held-out data, each metric next to its floor: the same metric between a
 * second real sample (the training split) and the held-out data at the same n, which is what a perfect generator
 * would score. Metrics: 1-NN two-sample accuracy, biased MMD² at fine to coarse bandwidths (multiples of the
 * held-out median pairwise distance, the same kernels for model and floor), precision/recall and density/coverage
 * on k-NN balls, mass per mode when the held-out data is labelled by component, sliced W2 and energy distance. All
 * sets are subsampled (seeded, without replacement) to the same n, bounded by {@link QualitySettings}.
 */
public final class QualityReport {

    /**
     * One metric: the model's value, its floor and the ideal value. {@code ratio} = value / floor is given where
     * the floor is positive by construction (the biased MMD²).
     */
    public record Metric(String name, double value, double floor, double ideal, boolean ratioToFloor) {

        /** value / floor, or NaN where the ratio means nothing. */
        public double ratio() {
            return ratioToFloor && floor > 0 ? value / floor : Double.NaN;
        }
    }

    private final int points;
    private final QualitySettings settings;
    private final double[] bandwidths;
    private final SampleMetrics model;
    private final SampleMetrics floor;
    private final List<Metric> metrics;

    private QualityReport(int points, QualitySettings settings, double[] bandwidths, SampleMetrics model,
            SampleMetrics floor) {
        this.points = points;
        this.settings = settings;
        this.bandwidths = bandwidths;
        this.model = model;
        this.floor = floor;
        this.metrics = List.copyOf(metricList());
    }

    /**
     * Scores {@code samples} against {@code reference} and, as the floor, {@code second} (another real sample, e.g.
     * the training split) against the same reference.
     *
     * @param referenceLabels component labels of the reference rows in [0, numClasses), or null
     */
    public static QualityReport evaluate(FloatMatrix samples, FloatMatrix reference, int[] referenceLabels,
            int numClasses, FloatMatrix second, QualitySettings settings) {
        if (samples.cols() != reference.cols() || second.cols() != reference.cols()) {
            throw new IllegalArgumentException("dimension mismatch: samples " + samples.cols() + ", reference "
                    + reference.cols() + ", floor sample " + second.cols());
        }
        if (referenceLabels != null && referenceLabels.length != reference.rows()) {
            throw new IllegalArgumentException(referenceLabels.length + " labels for " + reference.rows() + " rows");
        }
        int available = Math.min(samples.rows(), Math.min(reference.rows(), second.rows()));
        int n = settings.points(reference.cols(), available);
        boolean labelled = referenceLabels != null && n > settings.kPrecisionRecall();
        if (n <= Math.max(settings.kPrecisionRecall(), settings.kDensityCoverage())) {
            throw new IllegalArgumentException("quality metrics need more than "
                    + Math.max(settings.kPrecisionRecall(), settings.kDensityCoverage()) + " rows per set, got " + n);
        }
        SplittableRandom root = new SplittableRandom(settings.seed());
        FloatMatrix x = samples.selectRows(indices(samples.rows(), n, root.split()));
        int[] yIdx = indices(reference.rows(), n, root.split());
        FloatMatrix y = reference.selectRows(yIdx);
        FloatMatrix f = second.selectRows(indices(second.rows(), n, root.split()));
        int[] yLabels = null;
        if (labelled) {
            yLabels = new int[n];
            for (int i = 0; i < n; i++) {
                yLabels[i] = referenceLabels[yIdx[i]];
            }
        }
        PairwiseDistances dModel = PairwiseDistances.of(x, y);
        PairwiseDistances dFloor = PairwiseDistances.withReference(f, dModel, y);
        double median = dModel.medianWithinY();
        double[] multipliers = settings.bandwidthMultipliers();
        double[] bandwidths = new double[multipliers.length];
        for (int b = 0; b < multipliers.length; b++) {
            bandwidths[b] = (median > 0 ? median : 1.0) * multipliers[b];
        }
        SampleMetrics model = SampleMetrics.compute(x, y, dModel, bandwidths, yLabels, numClasses, settings);
        SampleMetrics floor = SampleMetrics.compute(f, y, dFloor, bandwidths, yLabels, numClasses, settings);
        return new QualityReport(n, settings, bandwidths, model, floor);
    }

    /** Unlabelled reference. */
    public static QualityReport evaluate(FloatMatrix samples, FloatMatrix reference, FloatMatrix second) {
        return evaluate(samples, reference, null, 0, second, QualitySettings.DEFAULT);
    }

    /** n distinct indices of [0, total), uniformly (all of them, in order, when n = total). */
    static int[] indices(int total, int n, SplittableRandom rng) {
        int[] idx = new int[total];
        for (int i = 0; i < total; i++) {
            idx[i] = i;
        }
        if (n == total) {
            return idx;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(total - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, n);
    }

    private List<Metric> metricList() {
        List<Metric> out = new ArrayList<>();
        out.add(new Metric("nn1_accuracy", model.nn1Accuracy(), floor.nn1Accuracy(), 0.5, false));
        double[] multipliers = settings.bandwidthMultipliers();
        for (int b = 0; b < bandwidths.length; b++) {
            out.add(new Metric(mmdName(multipliers[b]), model.mmd2()[b], floor.mmd2()[b], 0.0, true));
        }
        out.add(new Metric("precision", model.manifold().precision(), floor.manifold().precision(), 1.0, false));
        out.add(new Metric("recall", model.manifold().recall(), floor.manifold().recall(), 1.0, false));
        out.add(new Metric("density", model.manifold().density(), floor.manifold().density(), 1.0, false));
        out.add(new Metric("coverage", model.manifold().coverage(), floor.manifold().coverage(), 1.0, false));
        if (model.modes() != null) {
            out.add(new Metric("modes_covered", model.modes().covered(), floor.modes().covered(),
                    Arrays.stream(model.modes().expected()).filter(e -> e > 0).count(), false));
            out.add(new Metric("off_mode_fraction", model.modes().offMode(), floor.modes().offMode(), 0.0, false));
            out.add(new Metric("mode_mass_tv", model.modes().totalVariation(), floor.modes().totalVariation(), 0.0,
                    false));
        }
        out.add(new Metric("sliced_w2", model.slicedWasserstein(), floor.slicedWasserstein(), 0.0, false));
        out.add(new Metric("energy_distance", model.energyDistance(), floor.energyDistance(), 0.0, false));
        return out;
    }

    /** "mmd2_bw0.1" for the bandwidth 0.1 × the median distance. */
    public static String mmdName(double multiplier) {
        String m = multiplier == Math.rint(multiplier) ? Long.toString((long) multiplier)
                : Double.toString(multiplier);
        return "mmd2_bw" + m;
    }

    /** The name of the finest MMD bandwidth's metric. */
    public String finestMmdName() {
        double[] multipliers = settings.bandwidthMultipliers();
        double finest = Arrays.stream(multipliers).min().orElseThrow();
        return mmdName(finest);
    }

    public int points() {
        return points;
    }

    public double[] bandwidths() {
        return bandwidths.clone();
    }

    public SampleMetrics model() {
        return model;
    }

    public SampleMetrics floor() {
        return floor;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** The metric of that name; throws IllegalArgumentException listing the names when there is none. */
    public Metric metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric '" + name + "'; have "
                        + metrics.stream().map(Metric::name).toList()));
    }

    /**
     * The report as JSON-ready maps: {@code points}, {@code seed}, {@code bandwidths} (data units, by name), and
     * {@code metrics}: name → {value, floor, ideal[, ratio]}; with labels also {@code modeMass}: {expected, value,
     * floor}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("points", points);
        out.put("seed", settings.seed());
        Map<String, Double> bw = new LinkedHashMap<>();
        double[] multipliers = settings.bandwidthMultipliers();
        for (int b = 0; b < bandwidths.length; b++) {
            bw.put(mmdName(multipliers[b]), bandwidths[b]);
        }
        out.put("bandwidths", bw);
        Map<String, Object> all = new LinkedHashMap<>();
        for (Metric m : metrics) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("value", m.value());
            entry.put("floor", m.floor());
            entry.put("ideal", m.ideal());
            if (m.ratioToFloor() && !Double.isNaN(m.ratio())) {
                entry.put("ratio", m.ratio());
            }
            all.put(m.name(), entry);
        }
        out.put("metrics", all);
        if (model.modes() != null) {
            Map<String, Object> modes = new LinkedHashMap<>();
            modes.put("expected", model.modes().expected());
            modes.put("value", model.modes().mass());
            modes.put("floor", floor.modes().mass());
            out.put("modeMass", modes);
        }
        return out;
    }

    /** One line: every metric as value (floor). */
    public String summary() {
        StringBuilder sb = new StringBuilder("n=" + points);
        for (Metric m : metrics) {
            sb.append(String.format(Locale.ROOT, " %s=%.4g(%.4g)", m.name(), m.value(), m.floor()));
        }
        return sb.toString();
    }
}
