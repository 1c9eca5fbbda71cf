package dev.genserve.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs {@link DjlBootstrap} once the environment (application.yml, env vars, test properties) is known, before any bean
 * can load the DJL engine. Registered in {@code META-INF/spring.factories}.
 */
public class DjlEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        DjlBootstrap.apply(environment::getProperty);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after config data has been loaded
    }
}
