package dev.genserve.api;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.genserve.config.CodeVersion;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1}: what this service is, which build runs, and where to go next. */
@RestController
@RequestMapping("/api/v1")
public class ServiceInfoController {

    private final CodeVersion codeVersion;

    public ServiceInfoController(CodeVersion codeVersion) {
        this.codeVersion = codeVersion;
    }

    public record ServiceInfo(String name, String version, String description, Map<String, String> links) {
    }

    @GetMapping(produces = "application/json")
    @Operation(summary = "Service name, version and links to the main resources")
    public ServiceInfo info() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/api/v1");
        links.put("datasets", "/api/v1/datasets");
        links.put("jobs", "/api/v1/jobs");
        links.put("models", "/api/v1/models");
        links.put("health", "/actuator/health");
        links.put("openapi", "/v3/api-docs");
        links.put("swagger-ui", "/swagger-ui.html");
        return new ServiceInfo("genserve", codeVersion.value(),
                "Trains generative models (score diffusion, drifting, Fokker-Planck attractor) and serves samples", links);
    }
}
