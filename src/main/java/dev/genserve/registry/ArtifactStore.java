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
 * and {@code SHA256SUMS}; {@code <root>/_jobs/<jobId>/attempt-<n>/} holds the checkpoints of one attempt (one lease)
 * of a training job. Its checksum is the SHA-256 of its SHA256SUMS file, which covers every other file.
 *
 * <p>Crash consistency with the database: a version is {@link #stage staged} under a temporary name, sealed and
 * {@link Staged#place placed} (renamed to its final name) inside the transaction that inserts its row, before the
 * commit; if that transaction fails, the caller {@link #discard discards} the placed directory. A crash between the
 * rename and the commit leaves a directory without a row, which {@link ArtifactJanitor} removes under the model's row
 * lock. Deleting goes the other way: the row first (committed), then the files. So a committed row always has its
 * files, and leftover files are found and removed.
 */
@Component
public class ArtifactStore {

    static final String SUMS = "SHA256SUMS";
    static final String STAGING_PREFIX = ".tmp-";
    static final String JOBS = "_jobs";
    static final String ATTEMPT_PREFIX = "attempt-";

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

    /** All checkpoint directories of a training job (one per attempt). */
    public Path jobDirectory(UUID jobId) {
        return root.resolve(JOBS).resolve(jobId.toString());
    }

    /** The checkpoint directory of one attempt of a job; the attempt number is the job's lease token. */
    public Path attemptDirectory(UUID jobId, long attempt) {
        return jobDirectory(jobId).resolve(ATTEMPT_PREFIX + attempt);
    }

    /** The attempt directories of a job that exist, with their attempt numbers, lowest first. */
    public Map<Long, Path> attemptDirectories(UUID jobId) throws IOException {
        Map<Long, Path> attempts = new java.util.TreeMap<>();
        Path dir = jobDirectory(jobId);
        if (!Files.isDirectory(dir)) {
            return attempts;
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && name.startsWith(ATTEMPT_PREFIX)) {
                    try {
                        attempts.put(Long.parseLong(name.substring(ATTEMPT_PREFIX.length())), p);
                    } catch (NumberFormatException ignored) {
                        // not one of ours
                    }
                }
            }
        }
        return attempts;
    }

    public Path resolve(String relativePath) {
        Path path = root.resolve(relativePath).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalStateException("artifact path escapes the store: " + relativePath);
        }
        return path;
    }

    /** A version directory being written under a temporary name; closing it removes whatever was not placed. */
    public final class Staged implements AutoCloseable {

        private final String model;
        private final Path temp;
        private boolean placed;

        private Staged(String model, Path temp) {
            this.model = model;
            this.temp = temp;
        }

        public Path directory() {
            return temp;
        }

        /**
         * Writes the last files (the manifest), checksums everything and renames the directory to
         * {@code <model>/<version>}, replacing a leftover directory of that number (a crash between placing and
         * committing leaves one; the caller holds the model's row lock and the number has no row).
         */
        public StoredArtifact place(int version, DirectoryWriter lastFiles) throws IOException {
            lastFiles.write(temp);
            String sums = writeChecksums(temp);
            Path target = root.resolve(model).resolve(Integer.toString(version));
            if (Files.exists(target)) {
                deleteRecursively(target);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target);
            }
            placed = true;
            return new StoredArtifact(target, root.relativize(target).toString(), sha256(sums.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void close() throws IOException {
            if (!placed) {
                deleteRecursively(temp);
            }
        }
    }

    /** Starts a version of {@code model}: {@code writer} fills a temporary directory that no reader sees. */
    public Staged stage(String model, DirectoryWriter writer) throws IOException {
        Path modelDir = root.resolve(model);
        Files.createDirectories(modelDir);
        Staged staged = new Staged(model, Files.createTempDirectory(modelDir, STAGING_PREFIX));
        try {
            writer.write(staged.directory());
            return staged;
        } catch (IOException | RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    /**
     * Checks every file of a version directory against its SHA256SUMS and the SUMS file against the recorded
     * checksum; throws {@link ArtifactIntegrityException} on any mismatch.
     */
    public void verify(String relativePath, String expectedSha256) throws IOException {
        Path directory = resolve(relativePath);
        Path sumsFile = directory.resolve(SUMS);
        if (!Files.isRegularFile(sumsFile)) {
            throw new ArtifactIntegrityException(relativePath, "artifact " + directory + " is missing (no " + SUMS + ")");
        }
        byte[] sums = Files.readAllBytes(sumsFile);
        if (!sha256(sums).equalsIgnoreCase(expectedSha256)) {
            throw new ArtifactIntegrityException(relativePath, "artifact " + directory + " does not match its recorded SHA-256");
        }
        for (String line : new String(sums, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("  ", 2);
            Path file = directory.resolve(parts[1]).normalize();
            if (!file.startsWith(directory) || !Files.isRegularFile(file) || !sha256(file).equalsIgnoreCase(parts[0])) {
                throw new ArtifactIntegrityException(relativePath, "artifact file " + file + " is missing or corrupted");
            }
        }
    }

    /** Removes all checkpoints of a job (every attempt); only the attempt that ends the job calls it. */
    public void deleteJobDirectory(UUID jobId) {
        try {
            deleteRecursively(jobDirectory(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a version directory whose row is gone (after the commit), or that was placed by a failed commit. */
    public void discard(String relativePath) {
        try {
            deleteRecursively(resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    static void deleteRecursively(Path path) throws IOException {
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
