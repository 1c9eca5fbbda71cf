package dev.genserve.generative.batch;

import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import java.util.ArrayList;
import java.util.List;

/** The row blocks of a merged batch: request i owns rows [oᵢ, oᵢ + nᵢ) of the merged arrays, in request order. */
public record BatchRows(int[] rows) {

    public BatchRows {
        rows = rows.clone();
    }

    public static BatchRows of(List<SampleSpec> specs) {
        return new BatchRows(specs.stream().mapToInt(SampleSpec::n).toArray());
    }

    public int total() {
        int sum = 0;
        for (int r : rows) {
            sum = Math.addExact(sum, r);
        }
        return sum;
    }

    /** Cuts a merged result back into one result per request (same NFE and, when the merged result has them, each request's labels; trajectories are never merged). */
    public List<SampleResult> split(SampleResult merged) {
        List<SampleResult> out = new ArrayList<>(rows.length);
        int from = 0;
        for (int r : rows) {
            SampleResult part = new SampleResult(merged.samples().slice(from, from + r), merged.functionEvaluations());
            out.add(merged.labels() == null ? part
                    : part.withLabels(java.util.Arrays.copyOfRange(merged.labels(), from, from + r)));
            from += r;
        }
        return out;
    }
}
