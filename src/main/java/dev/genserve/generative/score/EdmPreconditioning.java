package dev.genserve.generative.score;

/**
 * EDM preconditioning (Karras et al. 2022, Table 1): the denoiser of noise level σ is
 * D(x; σ) = c_skip(σ) x + c_out(σ) F(c_in(σ) x, c_noise(σ)) with
 * <pre>
 * c_skip = σ_d² / (σ² + σ_d²),  c_out = σ σ_d / √(σ² + σ_d²),  c_in = 1 / √(σ² + σ_d²),  c_noise = ¼ ln σ,
 * </pre>
 * so the network's input and its training target both have unit variance at every σ. Training draws
 * ln σ ~ N(P_mean, P_std²) and weights the loss by λ(σ) = 1/c_out², which makes the loss on F unit-weighted:
 * E ‖F(c_in(x₀ + σz), c_noise) − (x₀ − c_skip(x₀ + σz))/c_out‖².
 *
 * @param sigmaData σ_d, the data's std (1 for standardised data)
 * @param noiseMean P_mean
 * @param noiseStd P_std
 */
public record EdmPreconditioning(double sigmaData, double noiseMean, double noiseStd) {

    /** c_noise = ¼ ln σ at σ = 10⁻³ and 10³: the range mapped onto [0, 1] for the noise-level features. */
    private static final double NOISE_LOW = 0.25 * Math.log(1e-3);
    private static final double NOISE_HIGH = 0.25 * Math.log(1e3);

    public EdmPreconditioning {
        if (!(sigmaData > 0) || !Double.isFinite(sigmaData) || !(noiseStd > 0) || !Double.isFinite(noiseMean)) {
            throw new IllegalArgumentException("EDM needs sigmaData > 0, noiseStd > 0 and a finite noiseMean");
        }
    }

    public double skip(double sigma) {
        return sigmaData * sigmaData / (sigma * sigma + sigmaData * sigmaData);
    }

    public double out(double sigma) {
        return sigma * sigmaData / Math.sqrt(sigma * sigma + sigmaData * sigmaData);
    }

    public double in(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + sigmaData * sigmaData);
    }

    /** c_noise = ¼ ln σ, mapped affinely so that σ ∈ [10⁻³, 10³] lands on [0, 1] (the time features' range). */
    public static double noiseLevel(double sigma) {
        return (0.25 * Math.log(sigma) - NOISE_LOW) / (NOISE_HIGH - NOISE_LOW);
    }

    /** σ = exp(P_mean + P_std·z) for a standard normal z. */
    public double sigma(double standardNormal) {
        return Math.exp(noiseMean + noiseStd * standardNormal);
    }
}
