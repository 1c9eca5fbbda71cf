package dev.genserve.sampling;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bulkhead that every request-bound computation (samples, process simulations) runs in. */
@Configuration(proxyBeanMethods = false)
public class SamplingConfig {

    @Bean
    SampleWorkers requestWorkers(SamplingProperties properties) {
        return new SampleWorkers("compute", properties.maxConcurrent(), properties.maxQueued(), properties.deadline(),
                properties.shutdownGrace());
    }

    @Bean
    SampleBatcher sampleBatcher(SampleWorkers requestWorkers, BatchingProperties batching,
            io.micrometer.core.instrument.MeterRegistry meters) {
        return new SampleBatcher(requestWorkers, batching, meters);
    }
}
