package dev.genserve.bench;

import dev.genserve.datasets.DatasetLimits;
import dev.genserve.datasets.NpyDatasetParser;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.sampling.NpyEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a plain-PyTorch peer script per scripts/peer/README.md (scripts/peer/&lt;family&gt;.py): writes the
 * standardised training split (and labels, and the resolved Java config) as files, invokes
 * {@code python3 SCRIPT --train TRAIN.npy --out SAMPLES.npy --steps S --n N --seed SEED [--labels L.npy]
 * [--config C.json] --threads 1} with one OpenMP/MKL thread, and reads the samples back (same standardised units)
 * together with the JSON object on the script's last stdout line. The script's output goes to {@code log.txt} in
 * the work folder; a run past its timeout is killed.
 */
final class PeerRunner {

    /** Where the family engineers keep their peer scripts. */
    static final Path SCRIPTS = Path.of("scripts", "peer");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a peer run gave back: its samples (standardised units) and the script's own summary line. */
    record PeerResult(FloatMatrix samples, int steps, double seconds, String recipe, Path log) {}

    private final String python;
    private final Duration timeout;

    PeerRunner(String python, Duration timeout) {
        this.python = python;
        this.timeout = timeout;
    }

    /** The peer script of a family, if present. */
    static Optional<Path> script(String family) {
        Path p = SCRIPTS.resolve(family + ".py");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** A python interpreter that imports torch and numpy, and torch's version. */
    record Python(String executable, String torchVersion) {}

    /**
     * The first interpreter that imports numpy and torch: {@code -Dbench.python} when set, else {@code python3} on
     * the PATH, else {@code /usr/bin/python3} (Debian's python3-torch lives there even when a pyenv python3 comes
     * first on the PATH). Empty, with the reasons in {@code why}, when none does.
     */
    static Optional<Python> findPython(List<String> why) {
        String configured = System.getProperty("bench.python");
        List<String> candidates = configured != null && !configured.isBlank() ? List.of(configured)
                : List.of("python3", "/usr/bin/python3");
        for (String candidate : candidates) {
            Optional<String> version = torchVersion(candidate, why);
            if (version.isPresent()) {
                return Optional.of(new Python(candidate, version.get()));
            }
        }
        return Optional.empty();
    }

    /**
     * The version of torch that {@code python} imports (with numpy), or empty with the reason in {@code why} when
     * python3 or torch is missing.
     */
    static Optional<String> torchVersion(String python, List<String> why) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import numpy, torch; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!done) {
                p.destroyForcibly();
                why.add(python + " did not import torch within 120 s");
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                why.add(python + " cannot import numpy and torch (Debian: apt-get install python3-torch "
                        + "python3-numpy): " + lastLine(text));
                return Optional.empty();
            }
            return Optional.of(lastLine(text));
        } catch (IOException e) {
            why.add(python + " not found: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why.add("interrupted");
            return Optional.empty();
        }
    }

    /**
     * Runs {@code script} in {@code work} (created if needed) on the standardised rows {@code train}.
     *
     * @param labels int labels per row, or null
     * @param config the resolved Java config (serialised to config.json), or null
     * @throws IllegalStateException when the script fails, times out, or writes no or malformed samples (the
     *     message quotes the end of its log)
     */
    PeerResult run(Path script, Path work, FloatMatrix train, int[] labels, Object config, int steps, int n,
            long seed) throws IOException {
        Files.createDirectories(work);
        Path trainFile = work.resolve("train.npy");
        Path samplesFile = work.resolve("samples.npy");
        Path log = work.resolve("log.txt");
        Files.deleteIfExists(samplesFile);
        Files.write(trainFile, NpyEncoder.encode(train.data(), new int[] {train.rows(), train.cols()}));
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--train", trainFile.toString(),
                "--out", samplesFile.toString(), "--steps", Integer.toString(steps), "--n", Integer.toString(n),
                "--seed", Long.toString(seed), "--threads", "1"));
        if (labels != null) {
            Path labelsFile = work.resolve("labels.npy");
            Files.write(labelsFile, NpyEncoder.encodeInt64(labels, new int[] {labels.length}));
            command.addAll(List.of("--labels", labelsFile.toString()));
        }
        if (config != null) {
            Path configFile = work.resolve("config.json");
            Files.writeString(configFile, JSON.writeValueAsString(config));
            command.addAll(List.of("--config", configFile.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("OMP_NUM_THREADS", "1");
        env.put("MKL_NUM_THREADS", "1");
        Process process = builder.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script);
        }
        if (!finished) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " ran past " + timeout.toSeconds() + " s and was killed; log: "
                    + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(script + " exited with " + process.exitValue() + ": " + tail(log));
        }
        if (!Files.isRegularFile(samplesFile)) {
            throw new IllegalStateException(script + " wrote no " + samplesFile + ": " + tail(log));
        }
        FloatMatrix samples;
        try {
            samples = new NpyDatasetParser(DatasetLimits.DEFAULT).parse(Files.readAllBytes(samplesFile)).rows();
        } catch (RuntimeException e) {
            throw new IllegalStateException(script + " wrote unreadable samples: " + e.getMessage(), e);
        }
        if (samples.rows() != n || samples.cols() != train.cols()) {
            throw new IllegalStateException(script + " wrote " + samples.rows() + " × " + samples.cols()
                    + " samples, expected " + n + " × " + train.cols());
        }
        JsonNode summary;
        try {
            summary = JSON.readTree(lastLine(Files.readString(log)));
        } catch (RuntimeException e) {
            throw new IllegalStateException(script + ": the last stdout line is not the contract's JSON object: "
                    + tail(log));
        }
        return new PeerResult(samples, summary.path("steps").asInt(-1), summary.path("seconds").asDouble(Double.NaN),
                summary.path("recipe").asString(""), log);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].trim();
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log).strip();
            return "…" + text.substring(Math.max(0, text.length() - 800));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
