package dev.genserve.bench;

import java.nio.file.Path;
import java.util.List;

/** What every section works with: the settings, the report folder and file, and the families on the class path. */
record BenchContext(BenchSettings settings, Path out, Report report, List<Families.Found> families) {}
