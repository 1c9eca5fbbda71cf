package dev.genserve.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark suite behind {@code ./mvnw -Pbench verify}: writes {@code <dir>/report.md} and PNG pictures, and
 * prints the headline numbers. Sections (docs/benchmarks.md), each its own class: 1 {@link HardwareSection}, 2–3
 * {@link ThroughputSection}, 4 {@link QualitySection} (2-D toys), 4b {@link ImageQualitySection} (Fashion-MNIST
 * judge), 4c {@link PeerSection} (plain PyTorch side by side), 5 {@link ServiceLoad}, 6 {@link ScaleSection}, 7 {@link PerfBench}
 * (batching on/off, training against the ceiling), 8 {@link SoakBench} (opt-in: {@code bench.sections} must name
 * {@code soak}).
 * Settings are system properties ({@link BenchSettings}). Not a unit test: surefire never runs it.
 */
public final class BenchmarkSuite {

    private final BenchContext context;
    private final List<String> missingFamilies;
    private double matmulCeiling = Double.NaN;
    private Map<String, QualitySection.ToyResult> quality = new LinkedHashMap<>();

    private BenchmarkSuite(BenchContext context, List<String> missingFamilies) {
        this.context = context;
        this.missingFamilies = missingFamilies;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench-report").toAbsolutePath();
        Files.createDirectories(out);
        BenchSettings settings = BenchSettings.fromSystemProperties();
        System.out.println("[bench] writing " + out + " with " + settings);
        long began = System.nanoTime();
        List<String> missing = new ArrayList<>();
        List<Families.Found> families = Families.available(missing);
        Report report = new Report(out.resolve("report.md"));
        BenchmarkSuite suite = new BenchmarkSuite(new BenchContext(settings, out, report, families), missing);
        suite.run();
        double minutes = (System.nanoTime() - began) / 60e9;
        report.finish(minutes, Machine.loadAverage());
        System.out.println();
        System.out.println("==== headline numbers (" + out.resolve("report.md") + ") ====");
        report.headlines().forEach(h -> System.out.println("  " + h));
        System.out.printf(Locale.ROOT, "[bench] done in %.1f min%n", minutes);
        System.exit(0); // DJL leaves non-daemon threads behind on some builds
    }

    private void run() {
        BenchContext c = context;
        c.report().header(c.settings(), missingFamilies);
        section("hardware", "1. Hardware ceiling", () -> matmulCeiling = new HardwareSection(c).run());
        section("training", "2–3. Training throughput and sampling",
                () -> new ThroughputSection(c, matmulCeiling).run());
        // cheapest first: an interrupted run on a busy machine still has every section but the slow quality ones
        section("service", "5. Service under load", () -> new ServiceLoad(c.settings(), c.out(), c.report()).run());
        section("scale", "6. Scale in N and D", () -> new ScaleSection(c).run());
        section("quality", "4. Sample quality on 2-D toys", () -> quality = new QualitySection(c).run());
        section("images", "4b. Image quality: Fashion-MNIST judge", () -> new ImageQualitySection(c).run());
        section("peer", "4c. Plain-PyTorch peer, side by side", () -> new PeerSection(c, quality).run());
        section("perf", "7. Performance (issue 16): batching on/off, training step against the ceiling", () -> {
            c.report().line("\n`PerfBench` (one JVM, interleaved): its tables are printed to the console.\n");
            invoke(() -> PerfBench.main(new String[0]));
        });
        // opt-in (-Dbench.sections=…,soak): the full soak takes about 45 minutes
        section("soak", "8. Soak (issue 16): RSS over training jobs and sample requests", () -> {
            if (System.getProperty("soak.out") == null) {
                System.setProperty("soak.out", c.out().resolve("soak").toString());
            }
            invoke(() -> SoakBench.main(new String[0]));
            c.report().line("\n![RSS over the soak](soak/rss.png) (data: soak/rss.csv; verdict on the console)\n");
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void invoke(Body body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void section(String key, String title, Runnable body) {
        BenchSettings settings = context.settings();
        boolean wanted = settings.runs(key) || (key.equals("training") && settings.runs("sampling"));
        if (!wanted) {
            System.out.println("[bench] skipping section " + key + " (bench.sections)");
            return;
        }
        System.out.println("[bench] === " + title + " ===");
        context.report().section(title);
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            context.report().line("\n**Section failed:** `" + e + "`\n");
        }
        System.out.printf(Locale.ROOT, "[bench] %s took %.0f s%n", key, (System.nanoTime() - t0) / 1e9);
        context.report().flush();
    }
}
