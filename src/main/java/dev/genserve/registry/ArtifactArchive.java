package dev.genserve.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The portable form of a model version: a tar.gz holding {@code version.json} (what the version row records: family,
 * config, seed, normalisation, metrics, SHA-256, provenance) and {@code artifact/} (the version directory as stored:
 * weights, {@code manifest.json}, {@code SHA256SUMS}). Reading is defensive: only plain files with simple relative
 * names, a bounded count and a bounded total size (so a gzip bomb stops early).
 */
public final class ArtifactArchive {

    public static final String METADATA = "version.json";
    public static final String ARTIFACT_DIR = "artifact/";
    static final int MAX_ENTRIES = 256;
    private static final Pattern SAFE_NAME = Pattern.compile("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$");

    private ArtifactArchive() {}

    /** Writes the archive of a version directory with its metadata. */
    public static void write(byte[] metadata, Path artifactDirectory, OutputStream out) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(artifactDirectory)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            entry(tar, METADATA, metadata);
            for (Path file : files) {
                String name = ARTIFACT_DIR + artifactDirectory.relativize(file).toString().replace('\\', '/');
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(Files.size(file));
                entry.setModTime(0);
                tar.putArchiveEntry(entry);
                Files.copy(file, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** What {@link #read} found: the metadata and the directory the artifact files were extracted to. */
    public record Extracted(String metadata, Path artifactDirectory) {}

    /**
     * Extracts an archive into {@code target} (which must be empty); throws IllegalArgumentException for anything
     * that is not a well-formed version archive within {@code maxBytes} of content.
     */
    public static Extracted read(InputStream in, Path target, long maxBytes) throws IOException {
        Path artifact = target.resolve("artifact");
        Files.createDirectories(artifact);
        String metadata = null;
        long total = 0;
        int entries = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new IllegalArgumentException("the archive has more than " + MAX_ENTRIES + " entries");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                if (!entry.isFile() || !SAFE_NAME.matcher(name).matches() || name.contains("..")) {
                    throw new IllegalArgumentException("unexpected archive entry '" + name + "' (only plain files "
                            + "with simple relative names)");
                }
                byte[] content = readBounded(tar, maxBytes - total, name);
                total += content.length;
                if (name.equals(METADATA)) {
                    metadata = new String(content, StandardCharsets.UTF_8);
                } else if (name.startsWith(ARTIFACT_DIR)) {
                    Path file = artifact.resolve(name.substring(ARTIFACT_DIR.length())).normalize();
                    if (!file.startsWith(artifact)) {
                        throw new IllegalArgumentException("archive entry '" + name + "' escapes the artifact");
                    }
                    Files.createDirectories(file.getParent());
                    Files.write(file, content);
                } else {
                    throw new IllegalArgumentException("unexpected archive entry '" + name + "' (expected "
                            + METADATA + " and " + ARTIFACT_DIR + "…)");
                }
            }
        } catch (IOException e) {
            if (e.getMessage() != null && (e.getMessage().contains("gzip") || e.getMessage().contains("Input is not")
                    || e.getMessage().contains("header"))) {
                throw new IllegalArgumentException("not a tar.gz version archive: " + e.getMessage(), e);
            }
            throw e;
        }
        if (metadata == null) {
            throw new IllegalArgumentException("the archive has no " + METADATA);
        }
        return new Extracted(metadata, artifact);
    }

    private static byte[] readBounded(InputStream in, long remaining, String name) throws IOException {
        byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, remaining) + 1));
        if (content.length > remaining) {
            throw new dev.genserve.api.PayloadTooLargeException("the archive unpacks to more than the import limit (at '" + name
                    + "'; genserve.artifacts.max-import-bytes)");
        }
        return content;
    }
}
