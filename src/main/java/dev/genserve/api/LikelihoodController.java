package dev.genserve.api;

import dev.genserve.likelihood.LikelihoodRequest;
import dev.genserve.likelihood.LikelihoodResult;
import dev.genserve.likelihood.LikelihoodService;
import dev.genserve.sampling.SampleWorkers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * log p(x) of posted rows under a diffusion model version, through the probability-flow ODE, in data units (the
 * standardisation's Jacobian included), with bits/dim, the estimator, its probe count and seed. The seed is echoed in
 * the body and in {@code X-Seed}.
 */
@RestController
@RequestMapping("/api/v1/models/{name}/versions/{reference}/likelihood")
@Tag(name = "likelihood")
public class LikelihoodController {

    private final LikelihoodService likelihood;
    private final SampleWorkers workers;

    public LikelihoodController(LikelihoodService likelihood, SampleWorkers workers) {
        this.likelihood = likelihood;
        this.workers = workers;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "evaluateLikelihood", summary = "Log-likelihood of rows", description = "Body {rows: "
            + "[[...], ...] in data units, estimator: exact | hutchinson (default exact for D ≤ 16), probes "
            + "(hutchinson, default 4), steps (default 100), seed}. Returns logLikelihood (nats, data units) and "
            + "bitsPerDim per row. Diffusion models only; 413 when rows, steps, probes or the total work exceed the "
            + "limits; computed in the sampling bulkhead (503 when it is full or at the deadline).")
    public DeferredResult<ResponseEntity<LikelihoodResult>> evaluate(@PathVariable String name,
            @PathVariable String reference, @RequestBody LikelihoodRequest request) {
        return AsyncResponses.answer(likelihood.submit(name, reference, request), workers, result -> ResponseEntity
                .ok().header("X-Seed", Long.toString(result.seed()))
                .header("X-Model-Version", result.model() + "/" + result.version()).body(result));
    }
}
