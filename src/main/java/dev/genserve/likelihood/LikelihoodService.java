package dev.genserve.likelihood;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.PayloadTooLargeException;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.likelihood.DataLikelihood;
import dev.genserve.generative.likelihood.ProbabilityFlowLikelihood;
import dev.genserve.generative.score.DiffusionGenerator;
import dev.genserve.registry.ModelRegistry;
import dev.genserve.registry.ModelVersion;
import dev.genserve.sampling.LoadedModelCache;
import dev.genserve.sampling.SampleWorkers;
import java.security.SecureRandom;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * log p(x) of rows a client posts, under a diffusion model version, through the probability-flow ODE
 * ({@link ProbabilityFlowLikelihood}) on the standardised rows plus the standardisation's log-Jacobian
 * ({@link DataLikelihood}). Work per request is bounded: at most {@code genserve.likelihood.max-rows} rows,
 * {@code max-steps} steps and {@code max-probes} probes (413 above), and rows × score evaluations per row at most
 * {@code max-evaluations} (413 above); malformed rows, unknown estimators, the exact trace above D = 16 and
 * non-diffusion models are 400s ({@link InvalidInputException}). All of that is checked before any work; the
 * integration then runs in the {@link SampleWorkers} bulkhead, like sampling (503 when it is full or at the deadline,
 * cancelled when the client goes away).
 */
@Service
public class LikelihoodService {

    static final int DEFAULT_STEPS = 100;
    static final int DEFAULT_PROBES = 4;

    private final ModelRegistry registry;
    private final LoadedModelCache cache;
    private final SampleWorkers workers;
    private final int maxRows;
    private final int maxSteps;
    private final int maxProbes;
    private final long maxEvaluations;
    private final SecureRandom seeds = new SecureRandom();

    public LikelihoodService(ModelRegistry registry, LoadedModelCache cache, SampleWorkers workers,
            @Value("${genserve.likelihood.max-rows:1000}") int maxRows,
            @Value("${genserve.likelihood.max-steps:1000}") int maxSteps,
            @Value("${genserve.likelihood.max-probes:64}") int maxProbes,
            @Value("${genserve.likelihood.max-evaluations:20000000}") long maxEvaluations) {
        this.registry = registry;
        this.cache = cache;
        this.workers = workers;
        this.maxRows = maxRows;
        this.maxSteps = maxSteps;
        this.maxProbes = maxProbes;
        this.maxEvaluations = maxEvaluations;
    }

    /** Checks the request and queues the integration; the task's result is the answer. */
    public SampleWorkers.Task<LikelihoodResult> submit(String modelName, String reference, LikelihoodRequest request) {
        ModelVersion version = registry.resolve(modelName, reference);
        if (!"diffusion".equals(version.getFamily())) {
            throw new InvalidInputException("log-likelihood needs a diffusion model (its probability-flow ODE); "
                    + modelName + " is a " + version.getFamily() + " model");
        }
        List<float[]> rows = request.rows();
        if (rows == null || rows.isEmpty()) {
            throw new InvalidInputException("rows is required: a non-empty array of rows in data units");
        }
        if (rows.size() > maxRows) {
            throw new PayloadTooLargeException(rows.size() + " rows exceed the limit of " + maxRows
                    + " rows per request (genserve.likelihood.max-rows)");
        }
        int steps = request.steps() == null ? DEFAULT_STEPS : request.steps();
        if (steps < 1) {
            throw new InvalidInputException("steps must be ≥ 1, got " + steps);
        }
        if (steps > maxSteps) {
            throw new PayloadTooLargeException("steps = " + steps + " exceeds the limit of " + maxSteps
                    + " (genserve.likelihood.max-steps)");
        }
        long seed = request.seed() != null ? request.seed() : seeds.nextLong() >>> 1;
        return cache.queueWith(version, model -> {
            DiffusionGenerator generator = (DiffusionGenerator) model.generator();
            int d = generator.dimension();
            FloatMatrix x = matrix(rows, d);
            ProbabilityFlowLikelihood.Divergence divergence = request.estimator() == null
                    ? (d <= ProbabilityFlowLikelihood.MAX_EXACT_DIMENSION
                            ? ProbabilityFlowLikelihood.Divergence.EXACT
                            : ProbabilityFlowLikelihood.Divergence.HUTCHINSON)
                    : InvalidInputException.fromCore(
                            () -> ProbabilityFlowLikelihood.Divergence.of(request.estimator()));
            if (divergence == ProbabilityFlowLikelihood.Divergence.EXACT && request.probes() != null) {
                throw new InvalidInputException("probes applies to the hutchinson estimator only (the exact trace "
                        + "uses the D unit vectors)");
            }
            if (divergence == ProbabilityFlowLikelihood.Divergence.EXACT
                    && d > ProbabilityFlowLikelihood.MAX_EXACT_DIMENSION) {
                throw new InvalidInputException("the exact trace needs D ≤ "
                        + ProbabilityFlowLikelihood.MAX_EXACT_DIMENSION + ", this model has D = " + d
                        + "; use estimator 'hutchinson'");
            }
            int probes = request.probes() == null ? DEFAULT_PROBES : request.probes();
            if (probes < 1) {
                throw new InvalidInputException("probes must be ≥ 1, got " + probes);
            }
            if (probes > maxProbes) {
                throw new PayloadTooLargeException("probes = " + probes + " exceeds the limit of " + maxProbes
                        + " (genserve.likelihood.max-probes)");
            }
            ProbabilityFlowLikelihood estimator = new ProbabilityFlowLikelihood(steps, divergence, probes, 1e-2);
            long perRow = estimator.evaluationsPerRow(d);
            if (perRow * x.rows() > maxEvaluations) {
                throw new PayloadTooLargeException(x.rows() + " rows × " + perRow + " score evaluations per row ("
                        + steps + " steps, " + estimator.probes(d) + " probes) exceed the limit of " + maxEvaluations
                        + " (genserve.likelihood.max-evaluations): send fewer rows, steps or probes");
            }
            return workers.submit(() -> {
                long start = System.nanoTime();
                FloatMatrix z = model.standardizer().forward(x);
                DataLikelihood likelihood = DataLikelihood.of(
                        InvalidInputException.fromCore(() -> generator.logLikelihood(z, estimator, seed)),
                        model.standardizer());
                return new LikelihoodResult(modelName, version.getVersion(), d, divergence.apiName(),
                        estimator.probes(d), steps, seed, likelihood.logJacobian(), likelihood.logLikelihood(),
                        likelihood.bitsPerDim(), perRow, (System.nanoTime() - start) / 1e6);
            }, model::release);
        });
    }

    private static FloatMatrix matrix(List<float[]> rows, int d) {
        float[] flat = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            float[] row = rows.get(i);
            if (row == null || row.length != d) {
                throw new InvalidInputException("row " + i + " has " + (row == null ? 0 : row.length)
                        + " values; the model has dimension " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new InvalidInputException("row " + i + " has a non-finite value at column " + j);
                }
            }
            System.arraycopy(row, 0, flat, i * d, d);
        }
        return new FloatMatrix(flat, rows.size(), d);
    }
}
