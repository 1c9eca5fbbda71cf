package dev.genserve.config;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a zonky {@link EmbeddedPostgres} on a persistent data directory.
 *
 * <p>zonky runs {@code initdb} only when the directory has no {@code postgresql.conf} (or when asked to clean it), so an
 * existing cluster is reused as is. It holds a file lock ({@code epg-lock}) in the directory while running. If a
 * previous JVM died without stopping its postmaster (kill -9), that postmaster would still own the directory and the new
 * start would fail; this launcher detects such an orphan (lock free, live postgres pid in {@code postmaster.pid}) and
 * stops it first. A directory locked by a live process is reported as such instead.
 */
public final class EmbeddedPostgresLauncher {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
    private static final String ZONKY_LOCK = "epg-lock";

    private EmbeddedPostgresLauncher() {
    }

    public static EmbeddedPostgres start(Path dataDir, int port, Duration startupWait) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        ensureNotInUse(dir);
        stopOrphanedPostmaster(dir);
        boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
        long t0 = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // Spring closes it after the DataSource, JobRunr and JPA are gone
                .setPGStartupWait(startupWait)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "100")
                .setServerConfig("synchronous_commit", "on") // zonky defaults to off (fine for tests, not for kept data)
                .setLocaleConfig("locale", "C"); // reproducible sorting, no dependence on the host's locales
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres pg = builder.start();
        log.info("Embedded PostgreSQL started in {} ms on port {} ({} data directory {})", (System.nanoTime() - t0) / 1_000_000,
                pg.getPort(), fresh ? "initialised new" : "reused existing", dir);
        return pg;
    }

    private static void ensureNotInUse(Path dir) throws IOException {
        Path lockFile = dir.resolve(ZONKY_LOCK);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(lockFile.toFile(), "rw"); FileChannel ch = raf.getChannel()) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("Embedded PostgreSQL data directory " + dir
                        + " is in use by another running process (genserve instance?). Stop it, or set genserve.embedded-db.data-dir"
                        + " to another directory, or configure SPRING_DATASOURCE_URL.");
            }
            lock.release();
        }
    }

    private static void stopOrphanedPostmaster(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> isPostgresOn(p, dir));
        if (orphan.isEmpty()) {
            return; // stale pid file: postgres itself removes it on start
        }
        ProcessHandle p = orphan.get();
        log.warn("Found a postmaster (pid {}) left running on {} by a previous run that did not shut down; stopping it", p.pid(), dir);
        p.destroy(); // SIGTERM = smart shutdown; nobody is connected to an orphan
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Orphaned postmaster {} did not stop in 30 s, killing it", p.pid());
            p.destroyForcibly();
        }
    }

    /** The process is a postgres server on {@code dir}; /proc is read directly because info() is empty across user namespaces. */
    private static boolean isPostgresOn(ProcessHandle p, Path dir) {
        String cmdline;
        try {
            cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"))).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            cmdline = p.info().commandLine().orElse("");
        }
        return cmdline.contains("postgres") && cmdline.contains(dir.toString());
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
