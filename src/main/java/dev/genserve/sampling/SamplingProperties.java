package dev.genserve.sampling;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on the work one sample request may cause ({@code genserve.sampling.*}).
 *
 * @param maxN          samples per request (413 above)
 * @param maxValues     n × dimension × (1 + trajectory) per request: bounds the memory of one answer (413 above)
 * @param maxCost       the work budget of one request, in multiply-adds: n × network evaluations × parameters, plus
 *                      the mean field for attractor models (422 above); see {@link SampleCost}
 * @param deadline      a request still computing after this is cancelled and answered 503
 * @param maxConcurrent requests computing at once (the bulkhead)
 * @param maxQueued     requests waiting for a slot; beyond it a request is refused at once with 503
 * @param cacheSize     model versions kept loaded
 * @param cacheMaxBytes weight bytes of the model versions kept loaded (the least recently used go first; the one in
 *                      use stays even when it alone is larger)
 * @param shutdownGrace on shutdown, how long running requests may finish before they are cancelled
 */
@ConfigurationProperties("genserve.sampling")
public record SamplingProperties(@DefaultValue("100000") int maxN, @DefaultValue("10000000") long maxValues,
        @DefaultValue("1.0e12") double maxCost, @DefaultValue("60s") Duration deadline,
        @DefaultValue("2") int maxConcurrent, @DefaultValue("64") int maxQueued, @DefaultValue("4") int cacheSize,
        @DefaultValue("10s") Duration shutdownGrace, @DefaultValue("512MB") DataSize cacheMaxBytes) {
}
