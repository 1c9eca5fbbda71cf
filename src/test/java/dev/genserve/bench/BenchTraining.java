package dev.genserve.bench;

import dev.genserve.generative.Generator;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.train.CheckpointStore;
import dev.genserve.generative.train.TrainingCancelledException;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the sections train a family: a budget map (config components by name, see {@link Families#config}) and a
 * {@link TrainingContext} that timestamps every step, so a run also gives its training speed.
 */
final class BenchTraining {

    /** The reference network of the speed sections (2, 3, 6): MLP 3×256 with 32 time features. */
    static final int HIDDEN = 256;
    static final int DEPTH = 3;
    static final int TIME_FEATURES = 32;

    private BenchTraining() {}

    /** A trained generator and its training speed (steps/s over 3 windows after warm-up). */
    record Timed(Generator generator, Stats stepsPerSecond, boolean capped) {}

    /** The speed sections' fixed config: the reference network, this batch (drifting: generated = positives). */
    static Map<String, Object> referenceBudget(int steps, int batch) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("hidden", HIDDEN);
        b.put("depth", DEPTH);
        b.put("timeFeatures", TIME_FEATURES);
        b.put("steps", steps);
        b.put("batchSize", batch);
        b.put("positives", batch);
        b.put("generated", batch);
        b.put("seed", 0L);
        return b;
    }

    /** The quality sections' config: the family's defaults, only the step count (and seed 0) set. */
    static Map<String, Object> defaultsBudget(int steps) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("steps", steps);
        b.put("seed", 0L);
        return b;
    }

    /** The family's config for this budget, resolved on the data (what the family really runs). */
    static Object resolved(Families.Found f, TrainingData data, Map<String, Object> budget) {
        return f.family().resolve(Families.config(f.family(), budget), data);
    }

    static Timed train(Families.Found f, TrainingData data, Map<String, Object> budget, double capSeconds) {
        int steps = (Integer) budget.get("steps");
        return train(f, data, budget, capSeconds, Math.max(2, steps / 5));
    }

    /**
     * Trains to the end of the budget; {@code capSeconds} never stops a run (the generator is needed), it only
     * marks it {@link Timed#capped()} so that sweeps can skip larger sizes.
     */
    static Timed train(Families.Found f, TrainingData data, Map<String, Object> budget, double capSeconds,
            int warmup) {
        Object config = resolved(f, data, budget);
        StepClock clock = new StepClock(System.nanoTime() + (long) (capSeconds * 1e9));
        Generator g;
        try {
            g = f.family().train(data, config, clock);
        } catch (TrainingCancelledException e) {
            throw new IllegalStateException(f.id() + " was cancelled after " + clock.times.size() + " steps");
        }
        return new Timed(g, clock.windows(warmup), clock.cancelled);
    }

    /** Records the time of every reported step; flags (never cancels) once the time cap passes. */
    private static final class StepClock implements TrainingContext {
        final List<Long> times = new ArrayList<>();
        final long deadline;
        boolean cancelled;

        StepClock(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public void report(TrainingProgress progress) {
            times.add(System.nanoTime());
        }

        @Override
        public boolean cancelRequested() {
            if (System.nanoTime() > deadline && times.size() >= 6) {
                cancelled = true;
            }
            return false;
        }

        @Override
        public Optional<CheckpointStore> checkpoints() {
            return Optional.empty();
        }

        Stats windows(int warmup) {
            if (times.size() < 5) {
                return Stats.of();
            }
            int first = Math.min(warmup, Math.max(0, times.size() - 4));
            int usable = times.size() - 1 - first;
            double[] rates = new double[3];
            for (int w = 0; w < 3; w++) {
                int a = first + w * usable / 3;
                int b = first + (w + 1) * usable / 3;
                rates[w] = (b - a) / ((times.get(b) - times.get(a)) / 1e9);
            }
            return Stats.of(rates);
        }
    }
}
