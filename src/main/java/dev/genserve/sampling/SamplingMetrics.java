package dev.genserve.sampling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Sample-request metrics: latency from the start of sampling to the encoded body, as a histogram by family and
 * format [{@code genserve_sampling_seconds_bucket{family,format}}], and samples drawn
 * [{@code genserve_sampling_samples_total{family}}].
 */
@Component
public class SamplingMetrics {

    private final MeterRegistry meters;

    public SamplingMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Records one answered sample request. */
    public void record(String family, String format, int samples, Duration latency) {
        Timer.builder("genserve.sampling").description("Sample requests: sampling plus encoding")
                .tag("family", family).tag("format", format).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(meters).record(latency);
        Counter.builder("genserve.sampling.samples").description("Samples drawn").tag("family", family)
                .register(meters).increment(samples);
    }
}
