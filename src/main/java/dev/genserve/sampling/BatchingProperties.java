package dev.genserve.sampling;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Dynamic batching of sample requests ({@code genserve.sampling.batching.*}, see {@link SampleBatcher}).
 *
 * @param enabled     merge concurrent compatible requests at all; off, every request computes alone (same bytes)
 * @param window      how long a batch that a worker has picked up waits for more requests while the service is busy
 *                    (other work in flight); an idle service starts a request at once
 * @param maxRequests requests in one batch
 * @param maxRows     samples (rows) in one batch; a request that would push a batch past it starts a new one
 */
@ConfigurationProperties("genserve.sampling.batching")
public record BatchingProperties(@DefaultValue("true") boolean enabled, @DefaultValue("2ms") Duration window,
        @DefaultValue("32") int maxRequests, @DefaultValue("4096") int maxRows) {

    public BatchingProperties {
        if (window.isNegative() || maxRequests < 1 || maxRows < 1) {
            throw new IllegalArgumentException("genserve.sampling.batching: window must be ≥ 0 and max-requests, "
                    + "max-rows ≥ 1");
        }
    }
}
