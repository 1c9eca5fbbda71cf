package dev.genserve;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the genserve service: trains generative models and serves samples over HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GenserveApplication {

    public static void main(String[] args) {
        dev.genserve.config.DjlBootstrap.applyBeforeEngineLoads();
        SpringApplication.run(GenserveApplication.class, args);
    }
}
