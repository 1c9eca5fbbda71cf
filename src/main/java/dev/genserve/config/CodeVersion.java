package dev.genserve.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The version of the code that is running, recorded on every model version ({@code model_version.code_version}).
 *
 * <p>{@code <build version>+<short git sha>} from {@code META-INF/build-info.properties} and {@code git.properties}
 * (both written by the Maven build); the sha falls back to env {@code GENSERVE_GIT_COMMIT} (Docker builds have no .git),
 * and {@code "dev"} stands in for whatever is missing (running from an IDE without a build).
 */
@Component
public class CodeVersion {

    private final String buildVersion;
    private final String gitCommit;

    public CodeVersion() {
        this(load("META-INF/build-info.properties").getProperty("build.version"),
                firstNonBlank(load("git.properties").getProperty("git.commit.id.abbrev"), System.getenv("GENSERVE_GIT_COMMIT")));
    }

    CodeVersion(String buildVersion, String gitCommit) {
        this.buildVersion = blank(buildVersion) ? "dev" : buildVersion.trim();
        String sha = blank(gitCommit) ? null : gitCommit.trim();
        this.gitCommit = sha != null && sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    /** Build version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code dev}. */
    public String buildVersion() {
        return buildVersion;
    }

    /** Abbreviated git commit, or {@code null} when unknown. */
    public String gitCommit() {
        return gitCommit;
    }

    /** {@code 0.1.0-SNAPSHOT+3f2a9c1}, {@code 0.1.0-SNAPSHOT} or {@code dev}. */
    public String value() {
        return gitCommit == null ? buildVersion : buildVersion + "+" + gitCommit;
    }

    @Override
    public String toString() {
        return value();
    }

    private static Properties load(String path) {
        Properties p = new Properties();
        ClassPathResource resource = new ClassPathResource(path);
        if (resource.exists()) {
            try (InputStream in = resource.getInputStream()) {
                p.load(in);
            } catch (IOException ignored) {
                // treated as absent
            }
        }
        return p;
    }

    private static String firstNonBlank(String a, String b) {
        return blank(a) ? b : a;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
