package dev.genserve.api;

import dev.genserve.api.openapi.FamilyConfigSchemas;
import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.NotFoundException;
import dev.genserve.registry.ArtifactTransfer;
import dev.genserve.registry.Model;
import dev.genserve.registry.ModelAlias;
import dev.genserve.registry.ModelAliasChange;
import dev.genserve.registry.ModelRegistry;
import dev.genserve.registry.ModelVersion;
import dev.genserve.sampling.LoadedModelCache;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Models, their immutable versions (with artifact export/import) and aliases. */
@RestController
@RequestMapping(path = "/api/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "models")
public class ModelController {

    public static final String GZIP = "application/gzip";
    static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    @Schema(description = "A model: a line of numbered versions of one family")
    public record ModelView(String name, @Schema(example = "diffusion") String family, Instant createdAt,
            @Schema(description = "Number of versions") int versions,
            @Schema(nullable = true) Integer latestVersion,
            @Schema(description = "Alias → version number") Map<String, Integer> aliases) {}

    @Schema(description = "Per-feature mean and std that samples are mapped back with")
    public record Normalization(double[] mean, double[] std) {}

    @Schema(description = "One immutable trained version: everything needed to reproduce and serve it, and its "
            + "held-out quality")
    public record VersionView(
            String model,
            int version,
            @Schema(example = "diffusion") String family,
            @Schema(ref = FamilyConfigSchemas.FAMILY_CONFIG_REF) Map<String, Object> config,
            long seed,
            Normalization normalization,
            @Schema(description = "Shape of one sample, e.g. [2] or [1, 28, 28]") int[] dataShape,
            @Schema(nullable = true) UUID datasetId,
            @Schema(nullable = true) UUID jobId,
            @Schema(description = "Build version and git commit that trained it") String codeVersion,
            @Schema(nullable = true) Double trainingSeconds,
            String artifactPath,
            @Schema(description = "SHA-256 of the artifact's SHA256SUMS (which covers every file)") String artifactSha256,
            @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
                    description = "Held-out quality metrics: the model's values next to their noise floors "
                            + "(training data vs held-out data at the same n). Free-form: the key set grows with "
                            + "new metrics; render metric/floor pairs generically.")
            Map<String, Object> metrics,
            @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE, nullable = true,
                    description = "For a version imported from another instance: its original model, version, "
                            + "job and dates")
            Map<String, Object> importedFrom,
            Instant createdAt,
            Map<String, String> links) {}

    @Schema(description = "Where an alias should point")
    public record AliasRequest(@Schema(description = "A version number, 'latest' or another alias", example = "3",
            requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank String version) {}

    @Schema(description = "An alias and the version it points at")
    public record AliasView(String model, String alias, int version, Instant updatedAt) {}

    @Schema(description = "One move of an alias")
    public record AliasChangeView(String alias,
            @Schema(nullable = true, description = "The version it pointed at from then on (null: removed)") Integer version,
            @Schema(nullable = true) Integer previousVersion, Instant changedAt) {}

    private final ModelRegistry registry;
    private final LoadedModelCache cache;
    private final ArtifactTransfer transfer;
    private final JsonMapper json;

    public ModelController(ModelRegistry registry, LoadedModelCache cache, ArtifactTransfer transfer, JsonMapper json) {
        this.registry = registry;
        this.cache = cache;
        this.transfer = transfer;
        this.json = json;
    }

    @GetMapping
    @Operation(operationId = "listModels", summary = "List models, by name")
    public ResponseEntity<Paged<ModelView>> list(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Paging.DEFAULT_SIZE) int size) {
        return Paging.response(registry.listModels(Paging.request(page, size)), this::view);
    }

    @GetMapping("/{name}")
    @Operation(operationId = "getModel", summary = "A model with its version count, latest version and aliases")
    public ModelView get(@PathVariable String name) {
        return view(registry.model(name));
    }

    @GetMapping("/{name}/versions")
    @Operation(operationId = "listVersions", summary = "List a model's versions, newest first")
    public ResponseEntity<Paged<VersionView>> versions(@PathVariable String name,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = Paging.DEFAULT_SIZE) int size) {
        return Paging.response(registry.versions(name, Paging.request(page, size)), v -> view(name, v));
    }

    @GetMapping("/{name}/versions/{reference}")
    @Operation(operationId = "getVersion", summary = "One version, by number, 'latest' or alias",
            description = "By number, a version never changes (numbers are never reused): the answer is cacheable "
                    + "forever (`Cache-Control: immutable`). By 'latest' or alias it can move: `no-cache`, with the "
                    + "numbered URL in Content-Location. Both carry an ETag (If-None-Match gives 304).")
    @ApiResponse(responseCode = "200", description = "The version", headers = {
            @Header(name = "ETag", description = "Strong validator of this version", schema = @Schema(type = "string")),
            @Header(name = "Cache-Control", description = "immutable by number, no-cache by latest/alias",
                    schema = @Schema(type = "string")),
            @Header(name = "Content-Location", description = "The numbered URL of the version",
                    schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "304", description = "Not modified (If-None-Match matched the ETag)")
    public ResponseEntity<VersionView> version(@PathVariable String name,
            @Parameter(description = "A version number, 'latest' or an alias", example = "latest")
            @PathVariable String reference) {
        ModelVersion v = registry.resolve(name, reference);
        boolean byNumber = reference.equals(Integer.toString(v.getVersion()));
        return ResponseEntity.ok().eTag("\"" + v.getId() + "\"")
                .cacheControl(byNumber ? IMMUTABLE : CacheControl.noCache())
                .header(HttpHeaders.CONTENT_LOCATION, versionPath(name, v.getVersion()))
                .body(view(name, v));
    }

    @DeleteMapping("/{name}/versions/{reference}")
    @Operation(operationId = "deleteVersion", summary = "Delete a version and its artifact",
            description = "Its number is not given out again.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "An alias points at it; move the alias first")
    public ResponseEntity<Void> deleteVersion(@PathVariable String name,
            @Parameter(description = "The version number (an alias or 'latest' is refused: delete by number)",
                    schema = @Schema(type = "string", pattern = "^[1-9][0-9]{0,8}$")) @PathVariable String reference) {
        if (!reference.matches("[1-9][0-9]{0,8}")) {
            throw new InvalidInputException("delete a version by its number, not '" + reference + "'");
        }
        int version = Integer.parseInt(reference);
        UUID id = registry.resolve(name, reference).getId();
        registry.deleteVersion(name, version);
        cache.evict(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/{name}/versions/{reference}/artifact", produces = GZIP)
    @Operation(operationId = "exportVersion", summary = "Download a version as a tar.gz",
            description = "version.json (family, config, seed, normalisation, metrics, SHA-256, provenance) and "
                    + "artifact/ (weights, manifest.json, SHA256SUMS). Import it on another instance with "
                    + "importVersion.")
    @ApiResponse(responseCode = "200", description = "The archive",
            content = @Content(mediaType = GZIP, schema = @Schema(type = "string", format = "binary")),
            headers = {
                    @Header(name = "Content-Disposition", description = "attachment; filename=<model>-v<n>.tar.gz",
                            schema = @Schema(type = "string")),
                    @Header(name = "X-Artifact-SHA256", description = "The version's artifact SHA-256",
                            schema = @Schema(type = "string")),
                    @Header(name = "ETag", description = "Strong validator of this version",
                            schema = @Schema(type = "string"))})
    public ResponseEntity<StreamingResponseBody> export(@PathVariable String name, @PathVariable String reference)
            throws IOException {
        ModelVersion v = registry.resolve(name, reference);
        StreamingResponseBody body = transfer.exporter(name, v)::writeTo;
        boolean byNumber = reference.equals(Integer.toString(v.getVersion()));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(GZIP))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-v" + v.getVersion()
                        + ".tar.gz\"")
                .header("X-Artifact-SHA256", v.getArtifactSha256())
                .eTag("\"" + v.getId() + "-artifact\"")
                .cacheControl(byNumber ? IMMUTABLE : CacheControl.noCache())
                .body(body);
    }

    @PostMapping(path = "/{name}/versions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(operationId = "importVersion", summary = "Import a version exported by exportVersion",
            description = "Checks every file against the archive's SHA256SUMS and that against the recorded "
                    + "SHA-256, then stores it as the next version of this model (created if absent) with the same "
                    + "SHA-256, config, seed, normalisation and metrics; it samples exactly as the original. "
                    + "(curl can also POST the archive as the raw body with Content-Type: application/gzip.)")
    @ApiResponse(responseCode = "201", description = "Imported; Location is the new version",
            headers = @Header(name = "Location", description = "The new version's URL",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "The model exists with another family")
    public ResponseEntity<VersionView> importVersion(@PathVariable String name,
            @Parameter(description = "The tar.gz from exportVersion") @RequestPart("archive") MultipartFile archive)
            throws IOException {
        try (InputStream in = archive.getInputStream()) {
            return imported(name, in);
        }
    }

    /** The same import with the archive as the raw request body. */
    @Hidden
    @PostMapping(path = "/{name}/versions", consumes = {GZIP, "application/x-gzip"})
    public ResponseEntity<VersionView> importVersionBody(@PathVariable String name, InputStream body)
            throws IOException {
        return imported(name, body);
    }

    private ResponseEntity<VersionView> imported(String name, InputStream archive) throws IOException {
        if (!name.matches(JobController.MODEL_NAME)) {
            throw new InvalidInputException("model name must be 1-100 characters of letters, digits, '.', '_' or "
                    + "'-', starting with a letter or digit");
        }
        ModelVersion v = transfer.importVersion(name, archive);
        return ResponseEntity.created(URI.create(versionPath(name, v.getVersion()))).body(view(name, v));
    }

    @GetMapping("/{name}/aliases")
    @Operation(operationId = "listAliases", summary = "A model's aliases, by name")
    public ResponseEntity<Paged<AliasView>> aliases(@PathVariable String name,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = Paging.DEFAULT_SIZE) int size) {
        List<AliasView> all = registry.aliases(name).stream().map(a -> aliasView(name, a)).toList();
        return Paging.response(Paging.of(all, Paging.request(page, size)), a -> a);
    }

    @PutMapping(path = "/{name}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "setAlias", summary = "Point an alias at a version",
            description = "The move is recorded in the alias history.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    examples = @ExampleObject(name = "production", value = "{\"version\": \"3\"}"))))
    public AliasView setAlias(@PathVariable String name,
            @Parameter(description = "[A-Za-z][A-Za-z0-9_-]{0,63}, not 'latest'", example = "production")
            @PathVariable String alias, @Valid @RequestBody AliasRequest request) {
        return aliasView(name, registry.setAlias(name, alias, request.version()));
    }

    @DeleteMapping("/{name}/aliases/{alias}")
    @Operation(operationId = "deleteAlias", summary = "Remove an alias (recorded in its history)")
    @ApiResponse(responseCode = "204", description = "Removed")
    public ResponseEntity<Void> deleteAlias(@PathVariable String name, @PathVariable String alias) {
        registry.deleteAlias(name, alias);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/aliases/{alias}/history")
    @Operation(operationId = "getAliasHistory", summary = "Every move of an alias, newest first",
            description = "With ?at=<ISO instant>, the one move in force then (a page of one).")
    public ResponseEntity<Paged<AliasChangeView>> aliasHistory(@PathVariable String name, @PathVariable String alias,
            @Parameter(description = "An instant, e.g. 2026-11-01T12:00:00Z") @RequestParam(required = false) Instant at,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = Paging.DEFAULT_SIZE) int size) {
        var pageable = Paging.request(page, size);
        if (at != null) {
            AliasChangeView inForce = registry.aliasAt(name, alias, at)
                    .map(v -> new AliasChangeView(alias, v.getVersion(), null, at))
                    .orElseThrow(() -> new NotFoundException("alias '" + alias + "' of '" + name
                            + "' pointed at no version at " + at));
            return Paging.response(Paging.of(List.of(inForce), pageable), c -> c);
        }
        return Paging.response(registry.aliasHistory(name, alias, pageable), this::changeView);
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

    private ModelView view(Model model) {
        List<ModelVersion> versions = registry.versions(model.getName());
        Map<String, Integer> aliases = new TreeMap<>();
        for (ModelAlias alias : registry.aliases(model.getName())) {
            aliases.put(alias.getAlias(), number(alias.getVersionId()));
        }
        return new ModelView(model.getName(), model.getFamily(), model.getCreatedAt(), versions.size(),
                versions.isEmpty() ? null : versions.get(0).getVersion(), aliases);
    }

    static String versionPath(String model, int version) {
        return "/api/v1/models/" + model + "/versions/" + version;
    }

    private VersionView view(String model, ModelVersion v) {
        JsonNode normalization = json.readTree(v.getNormalization());
        Map<String, String> links = new LinkedHashMap<>();
        String self = versionPath(model, v.getVersion());
        links.put("self", self);
        links.put("samples", self + "/samples");
        links.put("artifact", self + "/artifact");
        return new VersionView(model, v.getVersion(), v.getFamily(),
                FamilyConfigJson.tagged(json, v.getFamily(), v.getConfig()), v.getSeed(),
                new Normalization(json.treeToValue(normalization.get("mean"), double[].class),
                        json.treeToValue(normalization.get("std"), double[].class)),
                v.getDataShape() == null ? null : json.readValue(v.getDataShape(), int[].class),
                v.getDatasetId(), v.getJobId(), v.getCodeVersion(), v.getTrainingSeconds(), v.getArtifactPath(),
                v.getArtifactSha256(), FamilyConfigJson.object(json, v.getMetrics()),
                FamilyConfigJson.object(json, v.getOrigin()), v.getCreatedAt(), links);
    }
}
