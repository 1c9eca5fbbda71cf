package dev.genserve.generative.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints as files {@code checkpoint-<step>.bin} in one directory. Each is written to a temporary file,
 * forced to disk and renamed into place, so a crash never leaves a half-written checkpoint; the two newest are
 * kept.
 */
public final class FileCheckpointStore implements CheckpointStore {

    private static final String PREFIX = "checkpoint-";
    private static final String SUFFIX = ".bin";
    private static final int KEEP = 2;

    private final Path directory;

    public FileCheckpointStore(Path directory) {
        this.directory = directory;
    }

    @Override
    public Optional<Checkpoint> latest() throws IOException {
        for (Path file : listNewestFirst()) {
            try (InputStream in = Files.newInputStream(file)) {
                return Optional.of(Checkpoint.read(in));
            } catch (IOException corrupt) {
                // fall through to the previous checkpoint
            }
        }
        return Optional.empty();
    }

    @Override
    public void save(Checkpoint checkpoint) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(String.format("%s%010d%s", PREFIX, checkpoint.step(), SUFFIX));
        Path temp = Files.createTempFile(directory, ".tmp-", SUFFIX);
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                checkpoint.write(out);
            }
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        List<Path> all = listNewestFirst();
        for (int i = KEEP; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    private List<Path> listNewestFirst() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return files;
    }
}
