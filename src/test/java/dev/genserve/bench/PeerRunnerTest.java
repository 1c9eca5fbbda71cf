package dev.genserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer runner against the contract's trivial peer (scripts/peer/_example.py); skipped without python3 + torch. */
class PeerRunnerTest {

    private static PeerRunner runner;

    @BeforeAll
    static void findTorch() {
        List<String> why = new ArrayList<>();
        Optional<PeerRunner.Python> python = PeerRunner.findPython(why);
        assumeTrue(python.isPresent(), "no python3 with torch: " + why);
        runner = new PeerRunner(python.get().executable(), Duration.ofSeconds(120));
    }

    @Test
    void runsTheExamplePeerAndReadsItsSamplesAndSummary(@TempDir Path dir) throws Exception {
        FloatMatrix raw = ToyDistributions.eightGaussians(2000, 5);
        FloatMatrix train = Standardizer.fit(raw).forward(raw);
        Path script = PeerRunner.script("_example").orElseThrow();
        PeerRunner.PeerResult r = runner.run(script, dir.resolve("a"), train, new int[2000],
                Map.of("steps", 10, "hidden", 64), 10, 1500, 3);
        assertThat(r.samples().rows()).isEqualTo(1500);
        assertThat(r.samples().cols()).isEqualTo(2);
        assertThat(r.steps()).isZero();
        assertThat(r.recipe()).contains("fitted Gaussian");
        assertThat(Files.readString(dir.resolve("a").resolve("config.json"))).contains("\"hidden\":64");
        assertThat(dir.resolve("a").resolve("labels.npy")).exists();
        // a fitted Gaussian of standardised data: mean ≈ 0, variance ≈ 1 per axis (1500 draws)
        double[][] stats = Standardizer.columnStatistics(r.samples());
        for (int j = 0; j < 2; j++) {
            assertThat(stats[0][j]).isCloseTo(0.0, within(0.1));
            assertThat(stats[1][j]).isCloseTo(1.0, within(0.1));
        }
    }

    @Test
    void aFailingScriptIsReportedWithTheEndOfItsLog(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.py");
        Files.writeString(broken, "import sys\nprint('cannot train: no recipe yet')\nsys.exit(3)\n");
        FloatMatrix train = ToyDistributions.eightGaussians(50, 1);
        assertThatThrownBy(() -> runner.run(broken, dir.resolve("w"), train, null, null, 5, 10, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exited with 3")
                .hasMessageContaining("cannot train: no recipe yet");
        Path silent = dir.resolve("silent.py");
        Files.writeString(silent, "print('{}')\n");
        assertThatThrownBy(() -> runner.run(silent, dir.resolve("s"), train, null, null, 5, 10, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("wrote no");
    }
}
