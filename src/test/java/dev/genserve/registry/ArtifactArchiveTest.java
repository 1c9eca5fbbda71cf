package dev.genserve.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.PayloadTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version archive: a round trip keeps every byte; hostile or oversized archives are refused. */
class ArtifactArchiveTest {

    @TempDir
    Path temp;

    @Test
    void roundTripKeepsMetadataAndEveryFile() throws IOException {
        Path version = Files.createDirectories(temp.resolve("v1"));
        Files.writeString(version.resolve("manifest.json"), "{\"family\":\"diffusion\"}");
        Files.write(Files.createDirectories(version.resolve("sub")).resolve("model.params"), new byte[] {1, 2, 3});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArtifactArchive.write("{\"format\":\"x\"}".getBytes(StandardCharsets.UTF_8), version, out);

        ArtifactArchive.Extracted read = ArtifactArchive.read(new ByteArrayInputStream(out.toByteArray()),
                Files.createDirectories(temp.resolve("in")), 1 << 20);
        assertThat(read.metadata()).isEqualTo("{\"format\":\"x\"}");
        assertThat(Files.readString(read.artifactDirectory().resolve("manifest.json"))).contains("diffusion");
        assertThat(Files.readAllBytes(read.artifactDirectory().resolve("sub/model.params"))).containsExactly(1, 2, 3);
    }

    @Test
    void refusesTraversalNonGzipAndArchivesOverTheLimit() throws IOException {
        assertThatThrownBy(() -> ArtifactArchive.read(new ByteArrayInputStream(tar("artifact/../../evil", 4)),
                Files.createDirectories(temp.resolve("a")), 1 << 20))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("evil");
        assertThatThrownBy(() -> ArtifactArchive.read(new ByteArrayInputStream("not gzip".getBytes()),
                Files.createDirectories(temp.resolve("b")), 1 << 20))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("tar.gz");
        assertThatThrownBy(() -> ArtifactArchive.read(new ByteArrayInputStream(tar("artifact/big", 5000)),
                Files.createDirectories(temp.resolve("c")), 1000))
                .isInstanceOf(PayloadTooLargeException.class);
        assertThatThrownBy(() -> ArtifactArchive.read(new ByteArrayInputStream(tar("artifact/only", 10)),
                Files.createDirectories(temp.resolve("d")), 1 << 20))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("version.json");
    }

    private static byte[] tar(String name, int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            tar.write(new byte[size]);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
