package dev.genserve.jobs;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.metrics.SampleQuality;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Scores a freshly trained generator on the held-out split: MMD², sliced W2 and energy distance of its samples
 * against held-out data, next to the same metrics between training data and held-out data (the floor a perfect
 * model would reach at this sample size).
 */
@Component
public class QualityEvaluator {

    private final int maxPoints;

    public QualityEvaluator(@Value("${genserve.jobs.metrics-samples:2000}") int maxPoints) {
        this.maxPoints = maxPoints;
    }

    public Map<String, Object> evaluate(Generator generator, PreparedData data, long seed) {
        FloatMatrix heldOut = data.heldOutRaw();
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (heldOut.rows() < 2) {
            metrics.put("note", "held-out split too small for metrics");
            return metrics;
        }
        int n = Math.min(maxPoints, Math.max(heldOut.rows(), 2));
        FloatMatrix samples = data.standardizer().inverse(generator.sample(SampleSpec.of(n, seed)).samples());
        SampleQuality model = SampleQuality.of(samples, heldOut, maxPoints, seed);
        SampleQuality floor = SampleQuality.of(data.trainRaw(), heldOut, maxPoints, seed);
        metrics.put("samples", n);
        metrics.put("heldOutRows", heldOut.rows());
        metrics.put("model", model.asMap());
        metrics.put("trainVsHeldOut", floor.asMap());
        return metrics;
    }
}
