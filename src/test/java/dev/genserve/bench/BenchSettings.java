package dev.genserve.bench;

import java.util.List;

/**
 * Every knob of the benchmark suite, read from system properties ({@code bench.*}; docs/benchmarks.md lists them).
 * {@code -Dbench.quick=true} scales every budget down to a smoke run of a few minutes.
 *
 * @param steps training steps per family and toy in the quality section (the families' defaults otherwise)
 * @param toys the quality section's 2-D toys (any of {@code ToyDistributions.NAMES})
 * @param evalRows samples and held-out rows per toy for {@code QualityReport} (capped by its settings)
 * @param imageSteps training steps per family on Fashion-MNIST in the image-quality section
 * @param imageSamples class-conditional images per family judged there (equal per class)
 * @param peerToys toys of the plain-PyTorch peer section
 * @param peerTimeoutSeconds wall-clock limit of one peer script run
 * @param allSamplers score every sampler of a generator (default: its default sampler only)
 */
record BenchSettings(boolean quick, int steps, List<String> toys, int repeats, List<String> sections,
        int throughputSteps, int scaleSteps, int scaleMaxN, int evalRows, int loadSeconds, int loadRequests,
        int serviceTrainSteps, String threads, int imageSteps, int imageSamples, List<String> peerToys,
        int peerTimeoutSeconds, boolean allSamplers) {

    /** The quality section's toys by default: the hard ones, then the first wave's. */
    static final String DEFAULT_TOYS = "pinwheel,rings,grid,unequal-mixture,eight-gaussians,moons,checkerboard";
    static final String SECTIONS = "hardware,training,sampling,quality,images,peer,service,scale,perf";

    static BenchSettings fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(prop("bench.quick", "false"));
        List<String> toys = list(prop("bench.toys", quick ? "pinwheel" : DEFAULT_TOYS));
        return new BenchSettings(quick,
                Integer.parseInt(prop("bench.steps", quick ? "300" : "2000")),
                toys,
                Math.max(3, Integer.parseInt(prop("bench.repeats", "3"))),
                list(prop("bench.sections", SECTIONS)),
                Integer.parseInt(prop("bench.throughputSteps", quick ? "40" : "200")),
                Integer.parseInt(prop("bench.scaleSteps", quick ? "9" : "15")),
                Integer.parseInt(prop("bench.scaleMaxN", quick ? "2048" : "4096")),
                Integer.parseInt(prop("bench.evalRows", quick ? "1000" : "2000")),
                Integer.parseInt(prop("bench.loadSeconds", quick ? "3" : "8")),
                Integer.parseInt(prop("bench.loadRequests", quick ? "3000" : "10000")),
                Integer.parseInt(prop("bench.serviceTrainSteps", quick ? "100" : "300")),
                System.getProperty("ai.djl.pytorch.num_threads", "(PyTorch default)"),
                Integer.parseInt(prop("bench.imageSteps", quick ? "5" : "1000")),
                Integer.parseInt(prop("bench.imageSamples", quick ? "100" : "1000")),
                list(prop("bench.peerToys", String.join(",", toys))),
                Integer.parseInt(prop("bench.peerTimeout", quick ? "600" : "3600")),
                Boolean.parseBoolean(prop("bench.allSamplers", "false")));
    }

    boolean runs(String section) {
        return sections.contains(section);
    }

    private static List<String> list(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String prop(String name, String fallback) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() || v.startsWith("${") ? fallback : v.trim();
    }
}
