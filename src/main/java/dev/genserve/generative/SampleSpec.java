package dev.genserve.generative;

import java.util.Objects;

/**
 * One sampling request to a trained generator: how many samples, the seed, and family-specific options. Options
 * that a family does not use must be null; the family rejects them with a message naming the ones it accepts.
 *
 * @param n number of samples (≥ 1)
 * @param seed fixes every random draw, so equal specs give bitwise-equal samples
 * @param sampler sampler name (diffusion and attractor), or null for the family default
 * @param steps number of integration steps (diffusion and attractor), or null for the default
 * @param guidance classifier-free guidance scale (conditional drifting), or null
 * @param classLabel class to generate (conditional models), or null for all classes
 * @param trajectory number of snapshots to return along the way (0 for none)
 */
public record SampleSpec(int n, long seed, String sampler, Integer steps, Double guidance, Integer classLabel,
        int trajectory) {

    public SampleSpec {
        if (n < 1) {
            throw new IllegalArgumentException("n must be ≥ 1, got " + n);
        }
        if (steps != null && (steps < 1 || steps > 100_000)) {
            throw new IllegalArgumentException("steps must be in [1, 100000], got " + steps);
        }
        if (trajectory < 0 || trajectory > 1000) {
            throw new IllegalArgumentException("trajectory must be in [0, 1000], got " + trajectory);
        }
    }

    /** n samples with the family's defaults. */
    public static SampleSpec of(int n, long seed) {
        return new SampleSpec(n, seed, null, null, null, null, 0);
    }

    public SampleSpec withSampler(String name, Integer stepCount) {
        return new SampleSpec(n, seed, name, stepCount, guidance, classLabel, trajectory);
    }

    public SampleSpec withTrajectory(int snapshots) {
        return new SampleSpec(n, seed, sampler, steps, guidance, classLabel, snapshots);
    }

    public SampleSpec withClass(Integer label, Double guidanceScale) {
        return new SampleSpec(n, seed, sampler, steps, guidanceScale, label, trajectory);
    }

    /** Throws a 400-style error when an option is set that the family does not accept. */
    public void requireAbsent(String option, Object value, String family, String accepted) {
        if (value != null) {
            throw new IllegalArgumentException("option '" + option + "' does not apply to " + family
                    + " models; accepted options: " + accepted);
        }
    }

    @Override
    public String toString() {
        return "SampleSpec[n=" + n + ", seed=" + seed + ", sampler=" + Objects.toString(sampler, "default") + "]";
    }
}
