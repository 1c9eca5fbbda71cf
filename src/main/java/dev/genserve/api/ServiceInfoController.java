package dev.genserve.api;

import dev.genserve.api.openapi.FamilyConfigDocs;
import dev.genserve.config.CodeVersion;
import dev.genserve.registry.FamilyCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1}: what this service is, which build runs, and where to go next; and the families. */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "service")
public class ServiceInfoController {

    private final CodeVersion codeVersion;
    private final FamilyCatalog families;

    public ServiceInfoController(CodeVersion codeVersion, FamilyCatalog families) {
        this.codeVersion = codeVersion;
        this.families = families;
    }

    @Schema(description = "The service, its build and its main resources")
    public record ServiceInfo(String name, @Schema(description = "Build version + git commit") String version,
            String description, Map<String, String> links) {
    }

    @Schema(description = "A generator family and its sample options")
    public record FamilyView(@Schema(example = "diffusion") String id, String description,
            @Schema(description = "Samplers (empty: one network evaluation, no sampler option); the first is the "
                    + "default") List<String> samplers) {
    }

    @GetMapping
    @Operation(operationId = "getServiceInfo", summary = "Service name, build version and links to the main resources")
    public ServiceInfo info() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/api/v1");
        links.put("datasets", "/api/v1/datasets");
        links.put("jobs", "/api/v1/jobs");
        links.put("models", "/api/v1/models");
        links.put("families", "/api/v1/families");
        links.put("dashboard", "/dashboard/");
        links.put("health", "/actuator/health");
        links.put("openapi", "/v3/api-docs");
        links.put("swagger-ui", "/swagger-ui.html");
        return new ServiceInfo("genserve", codeVersion.value(),
                "Trains generative models (score diffusion, drifting, Fokker-Planck attractor) and serves samples", links);
    }

    @GetMapping("/families")
    @Operation(operationId = "listFamilies", summary = "The generator families and their samplers",
            description = "Each family's config schema is in the OpenAPI document (FamilyConfig).")
    public List<FamilyView> families() {
        return families.ids().stream().map(id -> new FamilyView(id, FamilyConfigDocs.SUMMARIES.get(id),
                FamilyConfigDocs.SAMPLERS.getOrDefault(id, List.of()))).toList();
    }
}
