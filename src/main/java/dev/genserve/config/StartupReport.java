package dev.genserve.config;

import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs the time from JVM start until the application accepts traffic, with the health status at that moment (and the
 * components that are not UP, if any).
 */
@Component
public class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final ObjectProvider<HealthEndpoint> health;
    private final CodeVersion codeVersion;

    public StartupReport(ObjectProvider<HealthEndpoint> health, CodeVersion codeVersion) {
        this.health = health;
        this.codeVersion = codeVersion;
    }

    @EventListener
    public void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC) {
            return;
        }
        long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        HealthEndpoint endpoint = health.getIfAvailable();
        String status = "unknown";
        String notUp = "";
        if (endpoint != null) {
            try {
                HealthDescriptor h = endpoint.health();
                status = h.getStatus().getCode();
                if (h instanceof CompositeHealthDescriptor c && !Status.UP.equals(h.getStatus())) {
                    notUp = c.getComponents().entrySet().stream()
                            .filter(e -> !Status.UP.equals(e.getValue().getStatus()))
                            .map(e -> e.getKey() + "=" + e.getValue().getStatus().getCode())
                            .collect(Collectors.joining(", ", " (not UP: ", ")"));
                }
            } catch (RuntimeException e) {
                status = "error: " + e.getMessage();
            }
        }
        log.info("genserve {} ready: health {}{} after {} ms from process start", codeVersion.value(), status, notUp, sinceJvmStart);
    }
}
