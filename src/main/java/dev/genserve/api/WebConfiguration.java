package dev.genserve.api;

import dev.genserve.jobs.JobStatus;
import java.util.Locale;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Web wiring: the dashboard (static ES modules under {@code static/dashboard/}) at {@code /dashboard/}, with
 * {@code /}, {@code /ui} and {@code /dashboard} sending people there; and case-insensitive job states in query
 * parameters ({@code ?status=running}).
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/dashboard/");
        registry.addRedirectViewController("/ui", "/dashboard/");
        registry.addRedirectViewController("/dashboard", "/dashboard/");
        registry.addViewController("/dashboard/").setViewName("forward:/dashboard/index.html");
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, JobStatus.class, s -> JobStatus.valueOf(s.trim().toUpperCase(Locale.ROOT)));
    }
}
