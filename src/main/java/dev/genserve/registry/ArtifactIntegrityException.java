package dev.genserve.registry;

/** A stored artifact is missing or its bytes differ from the checksum recorded with its version. */
public class ArtifactIntegrityException extends RuntimeException {

    public ArtifactIntegrityException(String message) {
        super(message);
    }
}
