package dev.genserve.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Artifact store location ({@code genserve.artifacts.root}, env {@code GENSERVE_ARTIFACTS_ROOT}); layout in
 * {@code models/README.md}: {@code <root>/<model>/<version>/} and {@code <root>/_jobs/<jobId>/}.
 */
@ConfigurationProperties("genserve.artifacts")
public record ArtifactsProperties(@DefaultValue("./models") Path root) {
}
