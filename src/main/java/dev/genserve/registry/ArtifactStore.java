package dev.genserve.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import dev.genserve.config.ArtifactsProperties;
import org.springframework.stereotype.Component;

/**
 * The artifact store on the filesystem: {@code <root>/<model>/<version>/} holds the weights, {@code manifest.json}
 * and {@code SHA256SUMS}; {@code <root>/_jobs/<jobId>/} holds a running job's checkpoints. A version directory is
 * assembled under a temporary name and renamed into place, so readers never see half of one; its checksum is the
 * SHA-256 of its SHA256SUMS file, which covers every other file.
 */
@Component
public class ArtifactStore {

    static final String SUMS = "SHA256SUMS";

    /** Writes files into a fresh directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path directory) throws IOException;
    }

    /** Where a version landed and its checksum. */
    public record StoredArtifact(Path directory, String relativePath, String sha256) {}

    private final Path root;

    public ArtifactStore(ArtifactsProperties properties) {
        this.root = properties.root().toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The checkpoint directory of a training job. */
    public Path jobDirectory(UUID jobId) {
        return root.resolve("_jobs").resolve(jobId.toString());
    }

    public Path resolve(String relativePath) {
        Path path = root.resolve(relativePath).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("artifact path escapes the store: " + relativePath);
        }
        return path;
    }

    /**
     * Writes version {@code version} of {@code model}: the writer fills a temporary directory, checksums are
     * recorded, and the directory is renamed into place (replacing a leftover of an earlier crashed attempt).
     */
    public StoredArtifact writeVersion(String model, int version, DirectoryWriter writer) throws IOException {
        Path modelDir = root.resolve(model);
        Files.createDirectories(modelDir);
        Path temp = Files.createTempDirectory(modelDir, ".tmp-" + version + "-");
        try {
            writer.write(temp);
            String sums = writeChecksums(temp);
            Path target = modelDir.resolve(Integer.toString(version));
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            }
            return new StoredArtifact(target, root.relativize(target).toString(), sha256(sums.getBytes(StandardCharsets.UTF_8)));
        } finally {
            if (Files.exists(temp)) {
                deleteRecursively(temp);
            }
        }
    }

    /**
     * Checks every file of a version directory against its SHA256SUMS and the SUMS file against the recorded
     * checksum; throws {@link ArtifactIntegrityException} on any mismatch.
     */
    public void verify(Path directory, String expectedSha256) throws IOException {
        Path sumsFile = directory.resolve(SUMS);
        if (!Files.isRegularFile(sumsFile)) {
            throw new ArtifactIntegrityException("artifact " + directory + " is missing (no " + SUMS + ")");
        }
        byte[] sums = Files.readAllBytes(sumsFile);
        if (!sha256(sums).equalsIgnoreCase(expectedSha256)) {
            throw new ArtifactIntegrityException("artifact " + directory + " does not match its recorded SHA-256");
        }
        for (String line : new String(sums, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("  ", 2);
            Path file = directory.resolve(parts[1]);
            if (!Files.isRegularFile(file) || !sha256(file).equalsIgnoreCase(parts[0])) {
                throw new ArtifactIntegrityException("artifact file " + file + " is missing or corrupted");
            }
        }
    }

    /** Removes a job's checkpoints once it has finished. */
    public void deleteJobDirectory(UUID jobId) {
        try {
            deleteRecursively(jobDirectory(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void deleteVersion(String relativePath) throws IOException {
        deleteRecursively(resolve(relativePath));
    }

    private static String writeChecksums(Path directory) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (Path file : files) {
            sums.put(directory.relativize(file).toString(), sha256(file));
        }
        StringBuilder text = new StringBuilder();
        sums.forEach((name, sum) -> text.append(sum).append("  ").append(name).append('\n'));
        Files.writeString(directory.resolve(SUMS), text);
        return text.toString();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
