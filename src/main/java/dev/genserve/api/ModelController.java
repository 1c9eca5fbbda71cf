package dev.genserve.api;

import dev.genserve.errors.NotFoundException;
import dev.genserve.registry.Model;
import dev.genserve.registry.ModelAlias;
import dev.genserve.registry.ModelAliasChange;
import dev.genserve.registry.ModelRegistry;
import dev.genserve.registry.ModelVersion;
import dev.genserve.sampling.LoadedModelCache;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Models, versions and aliases. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "models")
public class ModelController {

    public record ModelView(String name, String family, Instant createdAt, int versions, Integer latestVersion,
            Map<String, Integer> aliases) {}

    public record VersionView(String model, int version, String family, JsonNode config, long seed,
            JsonNode normalization, JsonNode dataShape, UUID datasetId, UUID jobId, String codeVersion,
            Double trainingSeconds, String artifactPath, String artifactSha256, JsonNode metrics,
            List<String> aliases, Instant createdAt) {}

    public record AliasRequest(@NotBlank String version) {}

    public record AliasView(String model, String alias, int version, Instant updatedAt) {}

    public record AliasChangeView(String alias, Integer version, Integer previousVersion, Instant changedAt) {}

    private final ModelRegistry registry;
    private final LoadedModelCache cache;
    private final JsonMapper json;

    public ModelController(ModelRegistry registry, LoadedModelCache cache, JsonMapper json) {
        this.registry = registry;
        this.cache = cache;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "List models")
    public List<ModelView> list() {
        return registry.listModels().stream().map(this::view).toList();
    }

    @GetMapping("/{name}")
    public ModelView get(@PathVariable String name) {
        return view(registry.model(name));
    }

    @GetMapping("/{name}/versions")
    @Operation(summary = "List a model's versions, newest first")
    public List<VersionView> versions(@PathVariable String name) {
        Map<UUID, List<String>> aliases = aliasesByVersion(name);
        return registry.versions(name).stream().map(v -> view(name, v, aliases)).toList();
    }

    @GetMapping("/{name}/versions/{reference}")
    @Operation(summary = "One version, by number, 'latest' or alias")
    public VersionView version(@PathVariable String name, @PathVariable String reference) {
        return view(name, registry.resolve(name, reference), aliasesByVersion(name));
    }

    @DeleteMapping("/{name}/versions/{version}")
    @Operation(summary = "Delete a version and its artifact (409 while an alias points at it)")
    public ResponseEntity<Void> deleteVersion(@PathVariable String name, @PathVariable int version) {
        UUID id = registry.resolve(name, Integer.toString(version)).getId();
        registry.deleteVersion(name, version);
        cache.evict(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/aliases")
    public List<AliasView> aliases(@PathVariable String name) {
        return registry.aliases(name).stream().map(a -> aliasView(name, a)).toList();
    }

    @PutMapping(path = "/{name}/aliases/{alias}", produces = org.springframework.http.MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Point an alias at a version", description = "Body {\"version\": \"3\"} (a number, "
            + "'latest' or another alias). The move is recorded in the alias history.")
    public AliasView setAlias(@PathVariable String name, @PathVariable String alias,
            @Valid @RequestBody AliasRequest request) {
        return aliasView(name, registry.setAlias(name, alias, request.version()));
    }

    @DeleteMapping("/{name}/aliases/{alias}")
    public ResponseEntity<Void> deleteAlias(@PathVariable String name, @PathVariable String alias) {
        registry.deleteAlias(name, alias);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/aliases/{alias}/history")
    @Operation(summary = "Every move of an alias, newest first; with ?at=<ISO instant>, the version in force then")
    public List<AliasChangeView> aliasHistory(@PathVariable String name, @PathVariable String alias,
            @RequestParam(required = false) Instant at) {
        if (at != null) {
            return registry.aliasAt(name, alias, at)
                    .map(v -> List.of(new AliasChangeView(alias, v.getVersion(), null, at)))
                    .orElseThrow(() -> new NotFoundException("alias '" + alias + "' of '" + name
                            + "' pointed at no version at " + at));
        }
        return registry.aliasHistory(name, alias).stream().map(this::changeView).toList();
    }

    private AliasChangeView changeView(ModelAliasChange change) {
        return new AliasChangeView(change.getAlias(), number(change.getVersionId()), number(change.getPreviousVersionId()),
                change.getChangedAt());
    }

    private Integer number(UUID versionId) {
        return versionId == null ? null : registry.findVersion(versionId).map(ModelVersion::getVersion).orElse(null);
    }

    private AliasView aliasView(String model, ModelAlias alias) {
        return new AliasView(model, alias.getAlias(), number(alias.getVersionId()), alias.getUpdatedAt());
    }

    private Map<UUID, List<String>> aliasesByVersion(String model) {
        Map<UUID, List<String>> byVersion = new HashMap<>();
        for (ModelAlias alias : registry.aliases(model)) {
            byVersion.computeIfAbsent(alias.getVersionId(), k -> new java.util.ArrayList<>()).add(alias.getAlias());
        }
        return byVersion;
    }

    private ModelView view(Model model) {
        List<ModelVersion> versions = registry.versions(model.getName());
        Map<String, Integer> aliases = new java.util.TreeMap<>();
        for (ModelAlias alias : registry.aliases(model.getName())) {
            aliases.put(alias.getAlias(), number(alias.getVersionId()));
        }
        return new ModelView(model.getName(), model.getFamily(), model.getCreatedAt(), versions.size(),
                versions.isEmpty() ? null : versions.get(0).getVersion(), aliases);
    }

    private VersionView view(String model, ModelVersion v, Map<UUID, List<String>> aliases) {
        return new VersionView(model, v.getVersion(), v.getFamily(), json.readTree(v.getConfig()), v.getSeed(),
                json.readTree(v.getNormalization()), v.getDataShape() == null ? null : json.readTree(v.getDataShape()),
                v.getDatasetId(), v.getJobId(), v.getCodeVersion(), v.getTrainingSeconds(), v.getArtifactPath(),
                v.getArtifactSha256(), json.readTree(v.getMetrics()), aliases.getOrDefault(v.getId(), List.of()),
                v.getCreatedAt());
    }
}
