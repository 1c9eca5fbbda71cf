package dev.genserve.registry;

import dev.genserve.errors.InvalidInputException;
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
        artifacts.verify(version.getArtifactPath(), version.getArtifactSha256());
        Path directory = artifacts.resolve(version.getArtifactPath());
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

    /**
     * Imports an archive as the next version of {@code modelName} (created if absent; 409 if of another family).
     * Everything the client can get wrong is checked before the transaction (a 400: not an archive, bad metadata, an
     * unknown family or config, files that do not match the SHA-256; a 413 beyond
     * {@code genserve.artifacts.max-import-bytes}). The files are extracted into a staging directory of the model
     * and placed like a trained version's ({@link ArtifactStore}): renamed to their number inside the transaction
     * that inserts the row, and removed again if it does not commit.
     */
    public ModelVersion importVersion(String modelName, InputStream archive) throws IOException {
        Path modelDirectory = Files.createDirectories(artifacts.root().resolve(modelName));
        Path scratch = Files.createTempDirectory(modelDirectory, ArtifactStore.STAGING_PREFIX + "import-");
        try {
            ArtifactArchive.Extracted extracted = ArtifactArchive.read(archive, scratch, maxImportBytes);
            JsonNode meta;
            try {
                meta = json.readTree(extracted.metadata());
            } catch (JacksonException e) {
                throw new InvalidInputException(ArtifactArchive.METADATA + " is not valid JSON: "
                        + e.getOriginalMessage(), e);
            }
            if (meta == null || !meta.isObject()) {
                throw new InvalidInputException(ArtifactArchive.METADATA + " must be a JSON object");
            }
            if (!FORMAT.equals(text(meta, "format"))) {
                throw new InvalidInputException(ArtifactArchive.METADATA + " has format '" + text(meta, "format")
                        + "', expected '" + FORMAT + "'");
            }
            String family = text(meta, "family");
            String sha256 = text(meta, "artifactSha256");
            String config = json.writeValueAsString(required(meta, "config"));
            JsonNode seed = required(meta, "seed");
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw new InvalidInputException(ArtifactArchive.METADATA + ": 'seed' must be an integer");
            }
            String normalization = json.writeValueAsString(required(meta, "normalization"));
            String metrics = json.writeValueAsString(required(meta, "metrics"));
            JsonNode shape = meta.get("dataShape");
            String dataShape = shape == null || shape.isNull() ? null : json.writeValueAsString(shape);
            JsonNode seconds = meta.get("trainingSeconds");
            Double trainingSeconds = seconds == null || !seconds.isNumber() ? null : seconds.asDouble();
            String codeVersion = text(meta, "codeVersion");
            String origin = json.writeValueAsString(origin(meta));
            try { // the family exists and parses the config
                InvalidInputException.fromCore(() -> families.stored(family, config));
            } catch (JacksonException e) {
                throw new InvalidInputException(ArtifactArchive.METADATA + ": the config does not fit family '"
                        + family + "': " + e.getOriginalMessage(), e);
            }
            try {
                artifacts.verify(artifacts.root().relativize(extracted.artifactDirectory()).toString(), sha256);
            } catch (ArtifactIntegrityException e) {
                throw new InvalidInputException("the archive's artifact does not match its SHA-256: a file is "
                        + "missing, extra or corrupted");
            }
            try (ArtifactStore.Staged staged = artifacts.stage(modelName,
                    dir -> moveArtifactFiles(extracted.artifactDirectory(), dir))) {
                UUID versionId = UUID.randomUUID();
                String[] placed = {null};
                try {
                    return tx.execute(status -> {
                        Model model = registry.ensureModel(modelName, family);
                        int number = registry.lockNextVersion(modelName);
                        ArtifactStore.StoredArtifact stored;
                        try {
                            stored = staged.place(number, dir -> { });
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot store the imported artifact", e);
                        }
                        placed[0] = stored.relativePath();
                        if (!stored.sha256().equalsIgnoreCase(sha256)) {
                            throw new IllegalStateException("the imported artifact's SHA-256 changed in the store");
                        }
                        // the dataset rows are not part of the archive; provenance stays in the origin
                        ModelVersion version = new ModelVersion(versionId, model.getId(), number, family, config,
                                seed.asLong(), normalization, dataShape, null, null, codeVersion, trainingSeconds,
                                stored.relativePath(), stored.sha256(), metrics);
                        version.importedFrom(origin);
                        return registry.saveAndFlush(version);
                    });
                } catch (RuntimeException e) {
                    if (placed[0] != null && committedNot(versionId)) {
                        artifacts.discard(placed[0]);
                    }
                    throw e;
                }
            }
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** Moves the extracted files into the staged version directory; SHA256SUMS is rewritten over the same files. */
    private static void moveArtifactFiles(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (source.relativize(file).toString().equals(ArtifactStore.SUMS)) {
                    continue;
                }
                Path destination = target.resolve(source.relativize(file).toString());
                Files.createDirectories(destination.getParent());
                Files.move(file, destination);
            }
        }
    }

    /** True when the version row is certainly absent (a failed commit may still have committed). */
    private boolean committedNot(UUID versionId) {
        try {
            return registry.findVersion(versionId).isEmpty();
        } catch (RuntimeException e) {
            return false; // cannot tell: leave the files, the janitor decides under the model's lock
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
            throw new InvalidInputException(ArtifactArchive.METADATA + " lacks '" + field + "'");
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
