package dev.genserve.config;

import java.lang.management.ManagementFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs the time from JVM start until the application is ready, with the health status at that moment. */
@Component
public class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final ObjectProvider<HealthEndpoint> health;
    private final CodeVersion codeVersion;

    public StartupReport(ObjectProvider<HealthEndpoint> health, CodeVersion codeVersion) {
        this.health = health;
        this.codeVersion = codeVersion;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void report(ApplicationReadyEvent event) {
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        HealthEndpoint endpoint = health.getIfAvailable();
        String status = "unknown";
        if (endpoint != null) {
            try {
                status = endpoint.health().getStatus().getCode();
            } catch (RuntimeException e) {
                status = "error: " + e.getMessage();
            }
        }
        log.info("genserve {} ready: health {} after {} ms from process start", codeVersion.value(), status, sinceJvmStart);
    }
}
