package dev.genserve.api.openapi;

import static dev.genserve.api.openapi.FieldDoc.of;

import dev.genserve.generative.attractor.AttractorFamily;
import dev.genserve.generative.attractor.AttractorGenerator;
import dev.genserve.generative.drifting.DriftingFamily;
import dev.genserve.generative.score.DiffusionFamily;
import dev.genserve.generative.score.DiffusionGenerator;
import java.util.List;
import java.util.Map;

/**
 * Descriptions, ranges and enums of the family config fields, keyed by family id and field path ({@code sde.type}).
 * The fields themselves and their types are derived from the config records ({@link FamilyConfigSchemas}), and
 * their defaults from the families' own {@code resolve}; a field added to a record appears in the contract with its
 * type and default even before it is described here. {@code FamilyConfigDocsTest} checks that every entry names a
 * real field and that every range and enum matches what {@code resolve} accepts.
 */
public final class FamilyConfigDocs {

    private FamilyConfigDocs() {}

    /** Sampler names per family (empty: one network evaluation, no sampler option). */
    public static final Map<String, List<String>> SAMPLERS = Map.of(
            DiffusionFamily.ID, DiffusionGenerator.SAMPLERS,
            DriftingFamily.ID, List.of(),
            AttractorFamily.ID, AttractorGenerator.SAMPLERS);

    /** What each family is, for its schema's description. */
    public static final Map<String, String> SUMMARIES = Map.of(
            DiffusionFamily.ID, "Score-based diffusion: a forward SDE, denoising score matching in ε-parametrisation, "
                    + "reverse-SDE / probability-flow / predictor-corrector samplers. Every field is optional; an "
                    + "absent field takes its default.",
            DriftingFamily.ID, "Drifting one-step generator trained with the anti-symmetric drifting field (kernel "
                    + "mean shift), optionally class-conditional with classifier-free guidance. Every field is "
                    + "optional; an absent field takes its default (some defaults depend on the data, as described).",
            AttractorFamily.ID, "Fokker-Planck attractor: the mean-field forward process dX = [α F_p(X) − βX] dt + "
                    + "√(2λ) dW, reversed with a score learned in continuous time on Gaussian windows of simulated "
                    + "clouds (docs/attractor.md). Every field is optional; an absent field takes its default.");

    private static final Map<String, FieldDoc> DIFFUSION = Map.ofEntries(
            Map.entry("sde", of("The forward SDE dx = f(x,t) dt + g(t) dw (VP with β in [0.1, 20] when absent)")),
            Map.entry("sde.type", of("SDE type: vp, subvp, ve, ou (Ornstein-Uhlenbeck), brownian, or composed from "
                    + "drift and diffusion expressions").oneOf(DiffusionFamily.SDE_TYPES)),
            Map.entry("sde.betaMin", of("VP / sub-VP β_min (β_min ≤ β_max)").above(0)),
            Map.entry("sde.betaMax", of("VP / sub-VP β_max (≥ β_min)").atMost(10_000)),
            Map.entry("sde.sigmaMin", of("VE σ_min").above(0)),
            Map.entry("sde.sigmaMax", of("VE σ_max (> σ_min); default: the largest pairwise distance of a data "
                    + "subsample")),
            Map.entry("sde.theta", of("Ornstein-Uhlenbeck θ").above(0).atMost(1000)),
            Map.entry("sde.sigma", of("Ornstein-Uhlenbeck σ (default √2: stationary N(0, I)) or Brownian σ "
                    + "(default 5)").above(0).atMost(1000)),
            Map.entry("sde.drift", of("composed: drift f(x, t) as an expression, e.g. -0.5*beta(0.1,20)*x")),
            Map.entry("sde.diffusion", of("composed: diffusion g(t) as an expression, e.g. sqrt(beta(0.1,20))")),
            Map.entry("sde.T", of("End time T (default 5 for ou, 1 otherwise)").above(0)),
            Map.entry("sde.eps", of("Smallest time ε, in (0, T) (default 1e-4 for brownian, 1e-3 otherwise)")
                    .above(0)),
            Map.entry("sde.simulationSteps", of("composed: Euler-Maruyama steps of the training simulation")
                    .range(2, 10_000)),
            Map.entry("architecture", of("Score network: resmlp (residual FiLM MLP with Fourier features; default for "
                    + "vectors), mlp (the plain MLP), conv (U-Net; default for images, needs image data)")
                    .oneOf(DiffusionFamily.ARCHITECTURES)),
            Map.entry("hidden", of("Network width (resmlp 128, mlp 256; conv: channels of the first stage, 32)")
                    .range(1, 4096)),
            Map.entry("depth", of("Hidden layers (mlp) or residual blocks (resmlp), default 3").range(1, 16)),
            Map.entry("timeFeatures", of("Sinusoidal time features (even)").range(2, 1024)),
            Map.entry("fourierCount", of("resmlp: random Fourier frequencies of the input (default 64; 0 = none)")
                    .range(0, 4096)),
            Map.entry("fourierScale", of("resmlp: std of those frequencies per standardised unit (default √(2/D))")
                    .above(0).atMost(1000)),
            Map.entry("preconditioning", of("edm (Karras et al. 2022 preconditioning, log-normal noise; default) or "
                    + "epsilon (ε-prediction; the only choice for composed SDEs)")
                    .oneOf(DiffusionFamily.PRECONDITIONINGS)),
            Map.entry("sigmaData", of("edm: σ_data (default 1: the data is standardised)").above(0).atMost(1000)),
            Map.entry("noiseMean", of("edm: P_mean of the training noise, ln σ ~ N(P_mean, P_std²) (default −1.2)")
                    .atLeast(-10).atMost(10)),
            Map.entry("noiseStd", of("edm: P_std (default 1.2)").above(0).atMost(10)),
            Map.entry("conditional", of("Class-conditional with classifier-free guidance (default: labelled image "
                    + "data); needs a labelled dataset")),
            Map.entry("classDropout", of("conditional: share of rows trained with the null class (default 0.1)")
                    .atLeast(0).below(1)),
            Map.entry("guidance", of("conditional: default guidance scale w, D = D(∅) + w(D(c) − D(∅)) (default 1)")
                    .atLeast(0).atMost(20)),
            Map.entry("dataRadius", of("Largest norm of a standardised training row, recorded from the data: the "
                    + "denoiser is projected onto this ball").recorded()),
            Map.entry("numClasses", of("Classes of a conditional model, recorded from the data").recorded()),
            Map.entry("imageShape", of("(C, H, W) of image data, recorded from the data").recorded()),
            Map.entry("steps", of("Training steps").range(1, 10_000_000)),
            Map.entry("batchSize", of("Batch size (512; 128 for conv)").range(1, 65_536)),
            Map.entry("learningRate", of("Peak AdamW learning rate (2e-3 with edm, 1e-3 with epsilon)").above(0)
                    .atMost(1)),
            Map.entry("warmupSteps", of("Linear warm-up steps, then cosine decay (200 with edm, 100 with epsilon)")
                    .range(0, 10_000_000)),
            Map.entry("emaDecay", of("EMA decay of the weights (the EMA weights are what a version ships)")
                    .atLeast(0).below(1)),
            Map.entry("gradientClip", of("Global gradient-norm clip (0 = off)").atLeast(0)),
            Map.entry("seed", of("Seed of every random draw of training")),
            Map.entry("sampler", of("Default sampler of the version").oneOf(DiffusionGenerator.SAMPLERS)),
            Map.entry("sampleSteps", of("Default sampling steps").range(1, 100_000)),
            Map.entry("snr", of("Predictor-corrector signal-to-noise ratio r").above(0).atMost(10)),
            Map.entry("dimension", of("Data dimension D, recorded from the data").recorded()));

    private static final Map<String, FieldDoc> DRIFTING = Map.ofEntries(
            Map.entry("hidden", of("MLP width (mlp; default 256, 128 under a codebook) or 8× the conv "
                    + "channel count (conv)").range(2, 8192)),
            Map.entry("depth", of("MLP hidden layers").range(1, 16)),
            Map.entry("noiseDim", of("Width of the noise z; default clamp(D, 16, 128)").range(1, 4096)),
            Map.entry("temperatures", of("Kernel temperatures τ whose normalised drifts are summed: 1 to 16 values "
                    + "in (0, 100]")),
            Map.entry("positives", of("Data rows per step (split over classes when conditional)").range(2, 65_536)),
            Map.entry("generated", of("Generated rows per step (split over classes when conditional)")
                    .range(2, 65_536)),
            Map.entry("steps", of("Optimiser steps").range(1, 10_000_000)),
            Map.entry("learningRate", of("Peak AdamW learning rate").above(0).atMost(1)),
            Map.entry("weightDecay", of("AdamW decoupled weight decay").range(0, 1)),
            Map.entry("warmupSteps", of("Linear warm-up steps").range(0, 10_000_000)),
            Map.entry("cosineDecay", of("Cosine decay of the learning rate after warm-up")),
            Map.entry("emaDecay", of("EMA decay of the weights").atLeast(0).below(1)),
            Map.entry("gradientClip", of("Global gradient-norm clip (0 = off)").atLeast(0)),
            Map.entry("seed", of("Seed of every random draw of training")),
            Map.entry("conditional", of("Class-conditional; default: whether the dataset has labels")),
            Map.entry("guidanceWeight", of("Largest classifier-free guidance scale trained (α ~ U[1, w]); "
                    + "conditional models only; default 2 when conditional, else 1").range(1, 10)),
            Map.entry("featureMaps", of("Feature maps the field is computed on; default [identity] for vectors, "
                    + "[identity, patch-stats] for images; patches = one field per image location")
                    .oneOf(List.of("identity", "patch-stats", "patches"))),
            Map.entry("architecture", of("Generator network; default conv for images, mlp otherwise")
                    .oneOf(List.of("mlp", "conv"))),
            Map.entry("affinityClamp", of("Clamp of softmax_row ⊙ softmax_col before the square root, as published "
                    + "(0 = none)").atLeast(0).below(1)),
            Map.entry("fourierFeatures", of("mlp: random Fourier frequencies of the noise fed to the generator "
                    + "(0 = none)").range(0, 4096)),
            Map.entry("fourierScale", of("mlp: standard deviation of those frequencies").above(0).atMost(1000)),
            Map.entry("noiseCodes", of("mlp: K > 0 turns the last noise coordinate into a uniform one-hot code over "
                    + "K values (0 = none; needs noiseDim ≥ 2)").range(0, 4096)),
            Map.entry("codebook", of("mlp, unconditional: K > 0 makes the generator a mixture: the last noise "
                    + "coordinate selects one of K learned output offsets (0 = none; needs noiseDim ≥ 2, exclusive "
                    + "with noiseCodes); default min(1024, generated) for vectors of dimension ≤ 16; the offsets "
                    + "start at K stratified training rows")
                    .range(0, 1024)),
            Map.entry("clampOutput", of("Clamp samples to the training data's range; default true for images, "
                    + "false otherwise")),
            Map.entry("dataRange", of("[min, max] of the standardised training values, recorded from the data")
                    .recorded()),
            Map.entry("dimension", of("Data dimension D, recorded from the data").recorded()),
            Map.entry("numClasses", of("Classes of a conditional model (0 otherwise), recorded from the data")
                    .recorded()),
            Map.entry("imageShape", of("(C, H, W) of image data, recorded from the data").recorded()));

    private static final Map<String, FieldDoc> ATTRACTOR = Map.ofEntries(
            Map.entry("alpha", of("Attraction strength α of the mean field").range(0, 100)),
            Map.entry("beta", of("Linear restoring drift β").range(0, 100)),
            Map.entry("lambda", of("Diffusion λ (noise √(2λ) dW)").above(0).atMost(100)),
            Map.entry("delta", of("Softening δ of the field F_p(y) = E[(x − y)/(‖x − y‖² + δ²)]").above(0)
                    .atMost(100)),
            Map.entry("horizon", of("Horizon T of the forward process").above(0).atMost(1000)),
            Map.entry("simulationSteps", of("Steps K of the time grid").range(1, 10_000)),
            Map.entry("timeGridPower", of("Grid t_k = T (k/K)^p, the power p").range(1, 4)),
            Map.entry("cloudSize", of("Particles per forward simulation").range(2, 16_384)),
            Map.entry("resimulateEvery", of("A fresh simulation every this many steps (0 = one simulation)")
                    .range(0, 10_000_000)),
            Map.entry("estimator", of("Score estimator: window (denoising score matching on linearised Gaussian "
                    + "windows; default) or sliced (finite-difference sliced score matching on the simulated "
                    + "marginals)").oneOf(List.of("window", "sliced"))),
            Map.entry("windowFraction", of("Each window spans at least this fraction ρ of t (0 = one-step "
                    + "transitions, 1 = windows from the data; default 1)").range(0, 1)),
            Map.entry("controlVariate", of("Add the zero-mean control variate 2w z·ε(m) to the window loss")),
            Map.entry("hidden", of("Width of the residual FiLM score network").range(1, 8192)),
            Map.entry("depth", of("Residual blocks of the score network").range(1, 64)),
            Map.entry("timeFeatures", of("Sinusoidal time features (even)").range(2, 1024)),
            Map.entry("fourierFeatures", of("Random Fourier frequencies of the input (0 = none)").range(0, 4096)),
            Map.entry("fourierScale", of("Std of those frequencies per standardised unit").above(0)),
            Map.entry("steps", of("Training steps").range(1, 10_000_000)),
            Map.entry("batchSize", of("Batch size").range(1, 65_536)),
            Map.entry("learningRate", of("Peak AdamW learning rate").above(0).atMost(1)),
            Map.entry("warmupSteps", of("Linear warm-up steps").range(0, 10_000_000)),
            Map.entry("emaDecay", of("EMA decay of the weights").atLeast(0).below(1)),
            Map.entry("gradientClip", of("Global gradient-norm clip (0 = off)").atLeast(0)),
            Map.entry("weightDecay", of("AdamW decoupled weight decay").atLeast(0)),
            Map.entry("seed", of("Seed of every random draw of training")),
            Map.entry("sampler", of("Default sampler (reverse-sde = euler-maruyama, probability-flow = "
                    + "pf-ode-heun)").oneOf(AttractorGenerator.SAMPLERS)),
            Map.entry("sampleSteps", of("Default reverse steps of a sample request").range(1, 100_000)),
            Map.entry("sampleGridPower", of("Reverse grid t_j = T (j/S)^q, the power q").range(1, 8)),
            Map.entry("minCloud", of("Smallest sampling cloud: n below it runs this many particles and returns "
                    + "the first n (≤ maxCloud)").range(1, 65_536)),
            Map.entry("maxCloud", of("Largest sampling cloud").range(1, 65_536)),
            Map.entry("fieldTile", of("Query rows per tile when the field F is computed").range(1, 65_536)),
            Map.entry("dimension", of("Data dimension D, recorded from the data").recorded()));

    /** Field docs of a family, by path. */
    public static Map<String, FieldDoc> fields(String family) {
        return switch (family) {
            case DiffusionFamily.ID -> DIFFUSION;
            case DriftingFamily.ID -> DRIFTING;
            case AttractorFamily.ID -> ATTRACTOR;
            default -> Map.of();
        };
    }

    /**
     * Extra configs resolved to find defaults of nested fields that only some variants use (one per SDE type for
     * diffusion); the empty config is always resolved too.
     */
    public static List<Map<String, Object>> probes(String family) {
        if (!family.equals(DiffusionFamily.ID)) {
            return List.of();
        }
        return DiffusionFamily.SDE_TYPES.stream().<Map<String, Object>>map(type -> Map.of("sde",
                type.equals("composed") ? Map.of("type", type, "drift", "-0.5*beta(0.1,20)*x",
                        "diffusion", "sqrt(beta(0.1,20))") : Map.of("type", type))).toList();
    }
}
