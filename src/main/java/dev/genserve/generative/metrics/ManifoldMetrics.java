package dev.genserve.generative.metrics;

/**
 * Fidelity and diversity of generated X against data Y on k-NN manifolds.
 * <ul>
 *   <li>precision (Kynkäänniemi et al. 2019): the share of x inside some data ball B(y, r_k(y)), r_k = distance
 *       to the k-th nearest other data point (k = {@code kPrecisionRecall}, 3 in the paper);</li>
 *   <li>recall: the share of y inside some generated ball B(x, r_k(x)). Merged or dropped modes lower it;</li>
 *   <li>density (Naeem et al. 2020): (1/(k·m)) Σ_x #{y : x ∈ B(y, r_k(y))} with k = {@code kDensityCoverage}
 *       (5 in the paper); ≈ 1 for matching distributions, &gt; 1 when samples crowd onto dense data regions;</li>
 *   <li>coverage: the share of y whose ball B(y, r_k(y)) holds at least one x.</li>
 * </ul>
 *
 * @param precision share of samples on the data manifold (ideal 1)
 * @param recall share of data on the samples' manifold (ideal 1)
 * @param density mean number of data balls per sample, over k (ideal ≈ 1)
 * @param coverage share of data balls hit by a sample (ideal 1)
 */
public record ManifoldMetrics(double precision, double recall, double density, double coverage) {

    /** Precision/recall with k = 3 and density/coverage with k = 5, the papers' defaults. */
    public static ManifoldMetrics compute(dev.genserve.generative.FloatMatrix x, dev.genserve.generative.FloatMatrix y) {
        return compute(PairwiseDistances.of(x, y), 3, 5);
    }

    static ManifoldMetrics compute(PairwiseDistances d, int kPrecisionRecall, int kDensityCoverage) {
        int k = Math.max(kPrecisionRecall, kDensityCoverage);
        float[][] ySmallest = NearestNeighbours.smallestWithin(d.yy, d.n, k);
        float[] yPr = NearestNeighbours.radius(ySmallest, kPrecisionRecall);
        float[] yDc = NearestNeighbours.radius(ySmallest, kDensityCoverage);
        float[] xPr = NearestNeighbours.radius(NearestNeighbours.smallestWithin(d.xx, d.m, kPrecisionRecall),
                kPrecisionRecall);
        boolean[] yRecalled = new boolean[d.n];
        boolean[] yCovered = new boolean[d.n];
        int precise = 0;
        long ballHits = 0;
        for (int i = 0; i < d.m; i++) {
            int base = i * d.n;
            boolean inside = false;
            for (int j = 0; j < d.n; j++) {
                float dist = d.xy[base + j];
                if (dist <= yPr[j]) {
                    inside = true;
                }
                if (dist <= yDc[j]) {
                    ballHits++;
                    yCovered[j] = true;
                }
                if (dist <= xPr[i]) {
                    yRecalled[j] = true;
                }
            }
            if (inside) {
                precise++;
            }
        }
        int recalled = 0;
        int covered = 0;
        for (int j = 0; j < d.n; j++) {
            recalled += yRecalled[j] ? 1 : 0;
            covered += yCovered[j] ? 1 : 0;
        }
        return new ManifoldMetrics((double) precise / d.m, (double) recalled / d.n,
                (double) ballHits / ((double) kDensityCoverage * d.m), (double) covered / d.n);
    }
}
