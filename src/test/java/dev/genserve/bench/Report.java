package dev.genserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** bench-report/report.md, rewritten after every section so a failed or interrupted run still leaves a report. */
final class Report {

    private final Path file;
    private final StringBuilder header = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private final List<String> headlines = new ArrayList<>();
    private String footer = "";

    Report(Path file) {
        this.file = file;
    }

    void header(BenchSettings s, List<String> missingFamilies) {
        header.append("# genserve benchmark report\n\n");
        header.append("- date: ").append(Machine.now()).append('\n');
        header.append("- machine: ").append(Machine.cpuModel()).append(", nproc ")
                .append(Runtime.getRuntime().availableProcessors()).append('\n');
        header.append("- load average at start (1/5/15 min): ").append(Machine.loadAverage())
                .append(" (the machine is shared: a load above nproc means the figures are pessimistic)\n");
        header.append("- engine: ").append(Machine.engine()).append(", ai.djl.pytorch.num_threads = ")
                .append(s.threads()).append('\n');
        header.append("- java: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        header.append("- code: ").append(new dev.genserve.config.CodeVersion().value())
                .append(" (build version + git commit of the build)\n");
        header.append("- settings: ").append(s).append('\n');
        for (String m : missingFamilies) {
            header.append("- family missing: ").append(m).append('\n');
        }
        header.append("\nEvery figure is `median (min–max)` over the repeats named in its section.\n\n");
    }

    void section(String title) {
        body.append("\n## ").append(title).append("\n\n");
    }

    void line(String text) {
        body.append(text).append('\n');
    }

    /** A Markdown table's header row and rule. */
    void tableHeader(List<String> columns) {
        line("| " + String.join(" | ", columns) + " |");
        line("|" + "---|".repeat(columns.size()));
    }

    void headline(String text) {
        headlines.add(text);
        System.out.println("[bench] " + text);
    }

    List<String> headlines() {
        return headlines;
    }

    void finish(double minutes, String loadAtEnd) {
        footer = String.format(java.util.Locale.ROOT, "\n---\nSuite wall time %.1f min; load average at end: %s\n",
                minutes, loadAtEnd);
        flush();
    }

    void flush() {
        StringBuilder sb = new StringBuilder(header);
        sb.append("## Headline numbers\n\n");
        for (String h : headlines) {
            sb.append("- ").append(h).append('\n');
        }
        sb.append(body).append(footer);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
