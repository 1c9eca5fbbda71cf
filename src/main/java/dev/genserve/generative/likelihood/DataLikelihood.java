package dev.genserve.generative.likelihood;

import dev.genserve.generative.data.Standardizer;

/**
 * Log-densities of rows in data units from log-densities of their standardised images z = (x − μ)/σ: the
 * standardisation is affine with Jacobian diag(1/σ), so log p_x(x) = log p_z(z) − Σ_j log σ_j, and bits/dim is
 * −log p_x(x) / (D ln 2) (continuous data; no dequantisation).
 *
 * @param logLikelihood log p(x) per row, nats, data units
 * @param bitsPerDim −log p(x) / (D ln 2) per row
 * @param logJacobian −Σ_j log σ_j, added to every standardised log-density
 */
public record DataLikelihood(double[] logLikelihood, double[] bitsPerDim, double logJacobian) {

    /** Maps standardised log-densities to data units with the standardiser's σ. */
    public static DataLikelihood of(double[] standardizedLogLikelihood, Standardizer standardizer) {
        double[] std = standardizer.std();
        double jacobian = 0;
        for (double s : std) {
            jacobian -= Math.log(s);
        }
        int d = std.length;
        double[] log = new double[standardizedLogLikelihood.length];
        double[] bits = new double[log.length];
        for (int i = 0; i < log.length; i++) {
            log[i] = standardizedLogLikelihood[i] + jacobian;
            bits[i] = -log[i] / (d * Math.log(2));
        }
        return new DataLikelihood(log, bits, jacobian);
    }
}
