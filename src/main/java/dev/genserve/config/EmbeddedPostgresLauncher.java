package dev.genserve.config;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

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
 *
 * <p>Authentication: the server listens on localhost only, and every connection, local socket or TCP, needs the
 * superuser's password ({@code scram-sha-256}). The password is generated once per data directory and kept in it, in
 * {@value #PASSWORD_FILE}, readable by its owner only. A new directory is created by initdb with that password and
 * scram already; a directory created by an earlier version with {@code trust} keeps its data and is moved over on its
 * next start (password set, {@code pg_hba.conf} rewritten, configuration reloaded).
 */
public final class EmbeddedPostgresLauncher {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
    private static final String ZONKY_LOCK = "epg-lock";
    static final String PASSWORD_FILE = "genserve-db-password";
    static final String SUPERUSER = "postgres";
    static final String HBA = "# Managed by genserve: every connection needs the password in " + PASSWORD_FILE + "\n"
            + "local   all   all                 scram-sha-256\n"
            + "host    all   all   127.0.0.1/32  scram-sha-256\n"
            + "host    all   all   ::1/128       scram-sha-256\n";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private EmbeddedPostgresLauncher() {
    }

    /** A started server and the superuser's password. */
    public record Started(EmbeddedPostgres postgres, String password) implements AutoCloseable {

        public String jdbcUrl() {
            return postgres.getJdbcUrl(SUPERUSER, SUPERUSER);
        }

        public String username() {
            return SUPERUSER;
        }

        /** A plain (unpooled) data source on database {@code postgres}, with the password. */
        public DataSource dataSource() {
            return postgres.getDatabase(SUPERUSER, SUPERUSER, Map.of("password", password));
        }

        @Override
        public void close() throws IOException {
            postgres.close();
        }
    }

    public static Started start(Path dataDir, int port, Duration startupWait) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        ensureNotInUse(dir);
        stopOrphanedPostmaster(dir);
        boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
        Path passwordFile = dir.resolve(PASSWORD_FILE);
        Path initPassword = null;
        String password;
        if (fresh) {
            password = newPassword();
            initPassword = Files.createTempFile("genserve-initdb-", ".pw",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(initPassword, password);
        } else if (Files.exists(passwordFile)) {
            password = Files.readString(passwordFile).trim();
        } else {
            password = newPassword(); // a directory from before passwords: migrated below
        }
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
        if (fresh) {
            // initdb options (zonky passes these as --key=value after its own "-A trust", so they win)
            builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", initPassword.toString());
        }
        builder.setDataDirectoryCustomizer(d -> keepPassword(passwordFile, password))
                .setConnectConfig("password", password); // zonky's readiness probe logs in too
        EmbeddedPostgres pg;
        try {
            pg = builder.start();
        } finally {
            if (initPassword != null) {
                Files.deleteIfExists(initPassword);
            }
        }
        Started started = new Started(pg, password);
        try {
            requirePasswords(started, dir);
        } catch (SQLException | IOException | RuntimeException e) {
            pg.close();
            throw new IllegalStateException("Cannot secure the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
        log.info("Embedded PostgreSQL started in {} ms on port {} ({} data directory {}; scram-sha-256, password in {})",
                (System.nanoTime() - t0) / 1_000_000, pg.getPort(), fresh ? "initialised new" : "reused existing", dir,
                PASSWORD_FILE);
        return started;
    }

    /** Writes the password file (owner-only) unless it holds this password already. */
    private static void keepPassword(Path passwordFile, String password) {
        try {
            if (Files.exists(passwordFile) && Files.readString(passwordFile).trim().equals(password)) {
                Files.setPosixFilePermissions(passwordFile, OWNER_ONLY);
                return;
            }
            Path temp = Files.createTempFile(passwordFile.getParent(), ".pw-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(temp, password);
            Files.move(temp, passwordFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + passwordFile, e);
        }
    }

    /**
     * Makes sure the superuser has the password and {@code pg_hba.conf} asks for it everywhere. A directory still on
     * {@code trust} (created before passwords) is migrated: password, then pg_hba.conf, then a configuration reload.
     */
    private static void requirePasswords(Started started, Path dir) throws SQLException, IOException {
        Path hba = dir.resolve("pg_hba.conf");
        if (Files.exists(hba) && Files.readString(hba).equals(HBA)) {
            return;
        }
        try (Connection c = started.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET password_encryption = 'scram-sha-256'");
            st.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + started.password().replace("'", "''") + "'");
            Path temp = Files.createTempFile(dir, ".hba-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(temp, HBA);
            Files.move(temp, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            st.execute("SELECT pg_reload_conf()");
            log.info("Embedded PostgreSQL in {} now requires its password (scram-sha-256)", dir);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
