package dev.genserve.bench;

import java.nio.file.Path;
import java.util.List;

/** A section of the suite: what it works with, unpacked from the {@link BenchContext}. */
abstract class BenchSection {

    protected final BenchSettings settings;
    protected final Path out;
    protected final Report report;
    protected final List<Families.Found> families;

    BenchSection(BenchContext context) {
        this.settings = context.settings();
        this.out = context.out();
        this.report = context.report();
        this.families = context.families();
    }
}
