package dev.genserve.registry;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.PayloadTooLargeException;
import java.io.ByteArrayOutputStream;
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
     * Extracts an archive into {@code target} (which must be empty); throws {@link InvalidInputException} for anything
     * that is not a well-formed version archive (a truncated or corrupt stream included), and
     * {@link PayloadTooLargeException} beyond {@code maxBytes} of content. Files are streamed to disk, never held in
     * memory whole; only the metadata is (at most {@value #MAX_METADATA_BYTES} bytes).
     */
    public static Extracted read(InputStream in, Path target, long maxBytes) throws IOException {
        Path artifact = target.resolve("artifact");
        Files.createDirectories(artifact);
        String metadata = null;
        long total = 0;
        int entries = 0;
        TarArchiveInputStream tar;
        try {
            tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ClientStream(in)));
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
        try (tar) {
            TarArchiveEntry entry;
            while ((entry = next(tar)) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new InvalidInputException("the archive has more than " + MAX_ENTRIES + " entries");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                if (!entry.isFile() || !SAFE_NAME.matcher(name).matches() || name.contains("..")) {
                    throw new InvalidInputException("unexpected archive entry '" + name + "' (only plain files "
                            + "with simple relative names)");
                }
                if (name.equals(METADATA)) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    total += copyBounded(tar, bytes, Math.min(MAX_METADATA_BYTES, maxBytes - total), name);
                    metadata = bytes.toString(StandardCharsets.UTF_8);
                } else if (name.startsWith(ARTIFACT_DIR)) {
                    Path file = artifact.resolve(name.substring(ARTIFACT_DIR.length())).normalize();
                    if (!file.startsWith(artifact)) {
                        throw new InvalidInputException("archive entry '" + name + "' escapes the artifact");
                    }
                    Files.createDirectories(file.getParent());
                    try (OutputStream out = Files.newOutputStream(file)) {
                        total += copyBounded(tar, out, maxBytes - total, name);
                    }
                } else {
                    throw new InvalidInputException("unexpected archive entry '" + name + "' (expected "
                            + METADATA + " and " + ARTIFACT_DIR + "…)");
                }
            }
        }
        if (metadata == null) {
            throw new InvalidInputException("the archive has no " + METADATA);
        }
        return new Extracted(metadata, artifact);
    }

    /** Bytes of {@code version.json} read at most: it is a small JSON document. */
    static final int MAX_METADATA_BYTES = 1 << 20;

    private static TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
    }

    /** Copies one entry; reading errors are the archive's fault (400), writing errors the server's. */
    private static long copyBounded(InputStream in, OutputStream out, long remaining, String name) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        while (true) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException | RuntimeException e) {
                throw classify(e);
            }
            if (n < 0) {
                return copied;
            }
            copied += n;
            if (copied > remaining) {
                throw new PayloadTooLargeException("the archive unpacks to more than the import limit (at '" + name
                        + "'; genserve.artifacts.max-import-bytes" + (name.equals(METADATA) ? ", or "
                        + MAX_METADATA_BYTES + " bytes of " + METADATA : "") + ")");
            }
            out.write(buffer, 0, n);
        }
    }

    /** The client's own read error as it was; anything else the stream throws means a bad archive (400). */
    private static IOException classify(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ClientStreamException client) {
                return client.getCause();
            }
        }
        throw notAnArchive(e);
    }

    private static InvalidInputException notAnArchive(Exception e) {
        return new InvalidInputException("not a tar.gz version archive, or a truncated one: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    /**
     * The request body: an error while reading it (the body is over the request size limit, the client went away)
     * is not the archive's fault, and passes through the decompressors unchanged.
     */
    private static final class ClientStream extends java.io.FilterInputStream {

        ClientStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new ClientStreamException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new ClientStreamException(e);
            }
        }
    }

    private static final class ClientStreamException extends IOException {
        ClientStreamException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
