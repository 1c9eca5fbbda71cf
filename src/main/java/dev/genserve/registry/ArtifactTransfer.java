package dev.genserve.registry;

import dev.genserve.api.ConflictException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Export and import of model versions between instances ({@link ArtifactArchive}). Import checks every file against
 * the archive's SHA256SUMS and that file against the recorded SHA-256, parses the config with its family, and stores
 * the version under the next number of the target model with the same SHA-256, config, seed, normalisation and
 * metrics, so that it samples exactly as the original does.
 */
@Service
public class ArtifactTransfer {

    public static final String FORMAT = "genserve-version/1";

    private final ModelRegistry registry;
    private final ArtifactStore artifacts;
    private final FamilyCatalog families;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final long maxImportBytes;

    public ArtifactTransfer(ModelRegistry registry, ArtifactStore artifacts, FamilyCatalog families,
            TransactionTemplate tx, JsonMapper json,
            @Value("${genserve.artifacts.max-import-bytes:1GB}") DataSize maxImportBytes) {
        this.registry = registry;
        this.artifacts = artifacts;
        this.families = families;
        this.tx = tx;
        this.json = json;
        this.maxImportBytes = maxImportBytes.toBytes();
    }

    /** Writes an archive to a stream. */
    @FunctionalInterface
    public interface ArchiveWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * The writer of a version's tar.gz, after checking the artifact against its SHA-256 (so a corrupt artifact is a
     * clear error before any byte is sent, never half an archive).
     */
    public ArchiveWriter exporter(String modelName, ModelVersion version) throws IOException {
        Path directory = artifacts.resolve(version.getArtifactPath());
        artifacts.verify(directory, version.getArtifactSha256());
        byte[] metadata = json.writeValueAsBytes(metadata(modelName, version));
        return out -> ArtifactArchive.write(metadata, directory, out);
    }

    private Map<String, Object> metadata(String modelName, ModelVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("model", modelName);
        m.put("version", v.getVersion());
        m.put("family", v.getFamily());
        m.put("config", json.readTree(v.getConfig()));
        m.put("seed", v.getSeed());
        m.put("normalization", json.readTree(v.getNormalization()));
        m.put("dataShape", v.getDataShape() == null ? null : json.readTree(v.getDataShape()));
        m.put("datasetId", v.getDatasetId());
        m.put("jobId", v.getJobId());
        m.put("codeVersion", v.getCodeVersion());
        m.put("trainingSeconds", v.getTrainingSeconds());
        m.put("metrics", json.readTree(v.getMetrics()));
        m.put("artifactSha256", v.getArtifactSha256());
        m.put("createdAt", v.getCreatedAt().toString());
        return m;
    }

    /** Imports an archive as the next version of {@code modelName} (created if absent; 409 if of another family). */
    public ModelVersion importVersion(String modelName, InputStream archive) throws IOException {
        Path scratch = Files.createTempDirectory(ensure(artifacts.root()), ".import-");
        try {
            ArtifactArchive.Extracted extracted = ArtifactArchive.read(archive, scratch, maxImportBytes);
            JsonNode meta;
            try {
                meta = json.readTree(extracted.metadata());
            } catch (JacksonException e) {
                throw new IllegalArgumentException(ArtifactArchive.METADATA + " is not valid JSON: "
                        + e.getOriginalMessage(), e);
            }
            if (!FORMAT.equals(text(meta, "format"))) {
                throw new IllegalArgumentException(ArtifactArchive.METADATA + " has format '" + text(meta, "format")
                        + "', expected '" + FORMAT + "'");
            }
            String family = text(meta, "family");
            String sha256 = text(meta, "artifactSha256");
            String config = json.writeValueAsString(required(meta, "config"));
            families.stored(family, config); // the family exists and parses the config
            try {
                artifacts.verify(extracted.artifactDirectory(), sha256);
            } catch (ArtifactIntegrityException e) {
                throw new IllegalArgumentException("the archive's artifact does not match its SHA-256: "
                        + e.getMessage(), e);
            }
            return tx.execute(status -> store(modelName, family, config, meta, extracted.artifactDirectory(), sha256));
        } finally {
            deleteQuietly(scratch);
        }
    }

    private ModelVersion store(String modelName, String family, String config, JsonNode meta, Path source,
            String sha256) {
        Model model = registry.ensureModel(modelName, family);
        if (!model.getFamily().equals(family)) {
            throw new ConflictException("model '" + modelName + "' is of family '" + model.getFamily() + "'");
        }
        int number = registry.lockNextVersion(modelName);
        try {
            ArtifactStore.StoredArtifact stored = artifacts.writeVersion(modelName, number, dir -> {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        if (file.getFileName().toString().equals(ArtifactStore.SUMS)) {
                            continue; // rewritten by the store over the same files
                        }
                        Path target = dir.resolve(source.relativize(file).toString());
                        Files.createDirectories(target.getParent());
                        Files.copy(file, target);
                    }
                }
            });
            if (!stored.sha256().equalsIgnoreCase(sha256)) {
                throw new IllegalStateException("the imported artifact's SHA-256 changed in the store");
            }
            UUID datasetId = null; // the dataset rows are not part of the archive; provenance stays in the metadata
            JsonNode seconds = meta.get("trainingSeconds");
            ModelVersion version = new ModelVersion(model.getId(), number, family, config,
                    required(meta, "seed").asLong(), json.writeValueAsString(required(meta, "normalization")),
                    meta.get("dataShape") == null || meta.get("dataShape").isNull() ? null
                            : json.writeValueAsString(meta.get("dataShape")),
                    datasetId, null, text(meta, "codeVersion"),
                    seconds == null || !seconds.isNumber() ? null : seconds.asDouble(), stored.relativePath(),
                    stored.sha256(), json.writeValueAsString(required(meta, "metrics")));
            version.importedFrom(json.writeValueAsString(origin(meta)));
            return registry.save(version);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the imported artifact", e);
        }
    }

    /** Where an imported version came from. */
    private Map<String, Object> origin(JsonNode meta) {
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("model", text(meta, "model"));
        origin.put("version", meta.path("version").asInt());
        origin.put("datasetId", meta.path("datasetId").isNull() ? null : meta.path("datasetId").asString());
        origin.put("jobId", meta.path("jobId").isNull() ? null : meta.path("jobId").asString());
        origin.put("createdAt", meta.path("createdAt").asString());
        origin.put("importedAt", Instant.now().toString());
        return origin;
    }

    private static JsonNode required(JsonNode meta, String field) {
        JsonNode value = meta.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(ArtifactArchive.METADATA + " lacks '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode meta, String field) {
        return required(meta, field).asString();
    }

    private static Path ensure(Path directory) throws IOException {
        Files.createDirectories(directory);
        return directory;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a scratch directory under the store root, named .import-*
        }
    }
}
