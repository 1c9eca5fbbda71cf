package dev.genserve.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * The JobRunr dashboard lists, requeues and deletes jobs, and JobRunr binds it to every interface (it has no bind
 * address setting). It is off by default ({@code GENSERVE_JOBRUNR_DASHBOARD=false}); this check refuses to start when
 * it is switched on without a login ({@code jobrunr.dashboard.username} and {@code jobrunr.dashboard.password}, which
 * JobRunr enforces with HTTP basic authentication). Runs before any bean exists, so the dashboard never opens without
 * one. Registered in {@code META-INF/spring.factories}.
 */
public class JobRunrDashboardGuard implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment.getProperty("jobrunr.dashboard.enabled", Boolean.class, false),
                environment.getProperty("jobrunr.dashboard.username"), environment.getProperty("jobrunr.dashboard.password"));
    }

    static void check(boolean enabled, String username, String password) {
        if (enabled && (!StringUtils.hasText(username) || !StringUtils.hasText(password))) {
            throw new IllegalStateException("The JobRunr dashboard is enabled (GENSERVE_JOBRUNR_DASHBOARD=true) but has no "
                    + "login: set jobrunr.dashboard.username and jobrunr.dashboard.password (JOBRUNR_DASHBOARD_USERNAME, "
                    + "JOBRUNR_DASHBOARD_PASSWORD). It listens on every interface of port jobrunr.dashboard.port; do not "
                    + "publish that port beyond the operators' network.");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
