package dev.genserve.registry;

import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.score.DiffusionFamily;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The generator families offered by the service, as beans collected by {@link FamilyCatalog}. */
@Configuration(proxyBeanMethods = false)
public class GeneratorFamilies {

    @Bean
    DiffusionFamily diffusionFamily() {
        return new DiffusionFamily();
    }

    @Bean
    DriftingFamily driftingFamily() {
        return new DriftingFamily();
    }

    @Bean
    AttractorFamily attractorFamily() {
        return new AttractorFamily();
    }
}
