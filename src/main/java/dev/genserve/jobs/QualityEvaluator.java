package dev.genserve.jobs;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Scores a freshly trained generator on the held-out split with {@link QualityReport}: 1-NN two-sample accuracy,
 * MMD² at 0.1×, 0.3× and 1× the held-out median distance, precision/recall and density/coverage, mass per mode when
 * the data is labelled, sliced W2 and energy distance, each next to its floor (the training split scored against
 * the same held-out rows at the same n). At most {@code genserve.jobs.metrics-samples} rows per set (fewer in high
 * dimension, see {@link QualitySettings}).
 */
@Component
public class QualityEvaluator {

    private final QualitySettings settings;

    public QualityEvaluator(@Value("${genserve.jobs.metrics-samples:2000}") int maxPoints) {
        this.settings = QualitySettings.DEFAULT.withMaxPoints(Math.max(8, maxPoints));
    }

    public Map<String, Object> evaluate(Generator generator, PreparedData data, long seed) {
        FloatMatrix heldOut = data.heldOutRaw();
        Map<String, Object> metrics = new LinkedHashMap<>();
        int n = settings.points(heldOut.cols(), Math.min(heldOut.rows(), data.trainRaw().rows()));
        if (n <= 5) {
            metrics.put("note", "held-out split too small for metrics (" + heldOut.rows() + " rows)");
            return metrics;
        }
        FloatMatrix samples = data.standardizer().inverse(generator.sample(SampleSpec.of(n, seed)).samples());
        int classes = data.heldOutLabels() == null ? 0 : data.train().numClasses();
        QualityReport report = QualityReport.evaluate(samples, heldOut, classes > 0 ? data.heldOutLabels() : null,
                classes, data.trainRaw(), settings.withSeed(seed));
        metrics.put("samples", n);
        metrics.put("heldOutRows", heldOut.rows());
        metrics.putAll(report.toMap());
        return metrics;
    }
}
