package dev.genserve.registry;

import dev.genserve.generative.attractor.AttractorFamily;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The generator families offered by the service, as beans collected by {@link FamilyCatalog}. */
@Configuration(proxyBeanMethods = false)
public class GeneratorFamilies {

    @Bean
    AttractorFamily attractorFamily() {
        return new AttractorFamily();
    }
}
