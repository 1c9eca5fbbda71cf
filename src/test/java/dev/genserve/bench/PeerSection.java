package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.metrics.QualityReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Section 4c: the plain-PyTorch peer, side by side. For each family with a peer script (scripts/peer/, owned by
 * the family's engineer; contract in scripts/peer/README.md) and each peer toy, the peer trains at the same step
 * budget on the same standardised split as the Java family, and both sets of samples are scored with the same
 * {@link QualityReport}. The Java rows come from section 4 when it ran on that toy, else they are trained here.
 * Without python3 + torch the section says so and is skipped; a missing script is listed and skipped. Purpose:
 * quality, not speed (Debian's PyTorch 1.13 is much slower; its times mean nothing).
 */
final class PeerSection {

    private static final long PEER_SEED = 0L;

    private final BenchContext context;
    private final Map<String, QualitySection.ToyResult> javaResults;

    PeerSection(BenchContext context, Map<String, QualitySection.ToyResult> javaResults) {
        this.context = context;
        this.javaResults = javaResults;
    }

    void run() {
        Report report = context.report();
        BenchSettings settings = context.settings();
        List<String> why = new ArrayList<>();
        Optional<PeerRunner.Python> python = PeerRunner.findPython(why);
        if (python.isEmpty()) {
            String msg = "Peer section skipped: " + String.join("; ", why);
            System.out.println("[bench] " + msg);
            report.line(msg + "\n");
            return;
        }
        List<Families.Found> withScript = new ArrayList<>();
        for (Families.Found f : context.families()) {
            if (PeerRunner.script(f.id()).isPresent()) {
                withScript.add(f);
            } else {
                report.line("- " + f.id() + ": no peer script " + PeerRunner.SCRIPTS.resolve(f.id() + ".py")
                        + " (owned by the family's engineer): skipped");
            }
        }
        report.line("\nPeer: `" + python.get().executable() + "` with torch " + python.get().torchVersion()
                + ", 1 thread. Same split, same step budget ("
                + settings.steps() + "), same sample seed as the Java family, scored by the same `QualityReport`; the "
                + "peer gets the resolved Java config as `--config`. The floor row is shared. Logs and files: "
                + "`peer/<family>-<toy>/`.\n");
        if (withScript.isEmpty()) {
            return;
        }
        PeerRunner runner = new PeerRunner(python.get().executable(),
                Duration.ofSeconds(settings.peerTimeoutSeconds()));
        QualitySection quality = new QualitySection(context);
        report.line("| toy | family | implementation | 1-NN | MMD² bw0.1 (× floor) | precision | recall | coverage | "
                + "sliced W2 | recipe |");
        report.line("|---|---|---|---|---|---|---|---|---|---|");
        for (String toy : settings.peerToys()) {
            QualitySection.ToyResult done = javaResults.get(toy);
            ToySplit split = done != null ? done.split() : ToySplit.of(toy, settings.evalRows());
            QualityReport floor = null;
            for (Families.Found f : withScript) {
                List<QualitySection.Scored> java = done != null
                        ? done.rows().stream().filter(s -> s.model().equals(f.id())).limit(1).toList()
                        : quality.trainAndScore(f, split, settings.steps(), false, settings.evalRows());
                for (QualitySection.Scored s : java) {
                    floor = s.report();
                    row(toy, f.id(), "genserve (" + s.sampler() + ")", s.report(), "");
                }
                Path work = context.out().resolve("peer").resolve(f.id() + "-" + toy);
                try {
                    Object config = BenchTraining.resolved(f, split.trainingData(),
                            BenchTraining.defaultsBudget(settings.steps()));
                    PeerRunner.PeerResult r = runner.run(PeerRunner.script(f.id()).orElseThrow(), work,
                            split.trainingData().rows(), null, config, settings.steps(), settings.evalRows(),
                            PEER_SEED);
                    FloatMatrix samples = split.standardizer().inverse(r.samples());
                    QualityReport q = split.score(samples);
                    floor = floor == null ? q : floor;
                    row(toy, f.id(), "PyTorch peer", q, r.recipe() + " (" + r.steps() + " steps)");
                } catch (Exception e) {
                    report.line("| " + toy + " | " + f.id() + " | PyTorch peer | failed: `" + e.getMessage()
                            .replace('\n', ' ').replace('|', '/') + "` | | | | | | |");
                }
                report.flush();
            }
            if (floor != null) {
                row(toy, "–", "**floor** (training split)", floor, "floor");
            }
        }
        report.line("");
    }

    private void row(String toy, String family, String implementation, QualityReport q, String recipe) {
        boolean floor = recipe.equals("floor");
        QualityReport.Metric mmd = q.metric(q.finestMmdName());
        context.report().line("| " + toy + " | " + family + " | " + implementation + " | "
                + cell(q.metric("nn1_accuracy"), floor) + " | " + (floor ? Stats.fmt(mmd.floor()) + " (1×)"
                : Stats.fmt(mmd.value()) + String.format(Locale.ROOT, " (%.1f×)", mmd.ratio())) + " | "
                + cell(q.metric("precision"), floor) + " | " + cell(q.metric("recall"), floor) + " | "
                + cell(q.metric("coverage"), floor) + " | " + cell(q.metric("sliced_w2"), floor) + " | "
                + (floor ? "" : recipe) + " |");
        if (!floor) {
            context.report().headline(String.format(Locale.ROOT, "peer %s %s %s: 1-NN %.2f, MMD bw0.1 %.1f×, "
                    + "coverage %.2f", toy, family, implementation, q.metric("nn1_accuracy").value(), mmd.ratio(),
                    q.metric("coverage").value()));
        }
    }

    private static String cell(QualityReport.Metric m, boolean floor) {
        return Stats.fmt(floor ? m.floor() : m.value());
    }
}
