package dev.genserve.generative.metrics;

/**
 * Mass per mode for labelled data whose labels are its components (mixture component, ring, spiral arm). A
 * generated x is given to the mode of its nearest data point y* when it lies inside y*'s k-NN ball (the precision
 * criterion with k = 3), and is off-mode otherwise (a sample in the empty space between modes, or a far outlier). A
 * mode is covered when it receives at least half its expected mass (its share of the data).
 *
 * @param mass share of samples given to each mode
 * @param expected share of the data in each mode
 * @param covered number of modes with mass ≥ ½ expected
 * @param offMode share of samples given to no mode
 * @param totalVariation ½(Σ_k |mass_k − expected_k| + offMode): 0 for a perfect split, 1 when no sample is on a mode
 */
public record ModeCoverage(double[] mass, double[] expected, int covered, double offMode, double totalVariation) {

    static ModeCoverage compute(PairwiseDistances d, int[] yLabels, int numClasses, int k) {
        if (yLabels.length != d.n) {
            throw new IllegalArgumentException(yLabels.length + " labels for " + d.n + " data rows");
        }
        float[] radius = NearestNeighbours.radius(NearestNeighbours.smallestWithin(d.yy, d.n, k), k);
        int[] nearest = NearestNeighbours.nearestInColumns(d.xy, d.m, d.n);
        double[] mass = new double[numClasses];
        double[] expected = new double[numClasses];
        for (int label : yLabels) {
            expected[label] += 1.0 / d.n;
        }
        int off = 0;
        for (int i = 0; i < d.m; i++) {
            int j = nearest[i];
            if (d.xy[i * d.n + j] <= radius[j]) {
                mass[yLabels[j]] += 1.0 / d.m;
            } else {
                off++;
            }
        }
        int covered = 0;
        double tv = (double) off / d.m;
        for (int c = 0; c < numClasses; c++) {
            covered += expected[c] > 0 && mass[c] >= 0.5 * expected[c] ? 1 : 0;
            tv += Math.abs(mass[c] - expected[c]);
        }
        return new ModeCoverage(mass, expected, covered, (double) off / d.m, 0.5 * tv);
    }
}
