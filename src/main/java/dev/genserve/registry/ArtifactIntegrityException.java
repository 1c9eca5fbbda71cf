package dev.genserve.registry;

/**
 * A stored artifact is missing or its bytes differ from the checksum recorded with its version. {@link #version()}
 * names the artifact by its store-relative path (never a server path), which is what API answers may show; the
 * message, for the log, says which file failed.
 */
public class ArtifactIntegrityException extends RuntimeException {

    private final String version;

    public ArtifactIntegrityException(String version, String message) {
        super(message);
        this.version = version;
    }

    /** The artifact, as the store-relative path of its version (e.g. {@code moons/3}). */
    public String version() {
        return version;
    }
}
