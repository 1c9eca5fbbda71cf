package dev.genserve.generative.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.nn.Networks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The training loop every family shares: per step, a fresh NDManager scope, a seeded {@link RandomSource}, the
 * family's loss under the process-wide gradient lock, AdamW with clipping and warm-up, and the EMA update, with one
 * device read-back (the loss and the global gradient norm together); between steps, cancellation, progress and atomic
 * checkpoints. A context's {@link StepProfile} sees the time of each part. Resuming from a checkpoint replays exactly the steps an
 * uninterrupted run would have taken, so the final weights are bitwise identical. At the end the EMA weights are
 * copied into the block.
 */
public final class TrainingLoop {

    /** Computes one step's scalar loss in training mode. Arrays it creates should live in {@code scope}. */
    @FunctionalInterface
    public interface LossFunction {
        NDArray loss(NDManager scope, ParameterStore store, int step, RandomSource random);
    }

    /**
     * What the loop did: the steps run, the final smoothed loss, wall time, where it resumed from, and how many
     * updates were skipped because the gradients were not finite.
     */
    public record Result(int steps, double lastLoss, double emaLoss, double seconds, int resumedFromStep,
            int skippedSteps) {}

    private static final double LOSS_EMA = 0.98;

    /** Consecutive steps with non-finite gradients after which a run is declared diverged. */
    static final int MAX_SKIPPED_STEPS = 25;

    private TrainingLoop() {}

    public static Result run(Block block, NDManager manager, OptimizerSettings settings, LossFunction lossFunction,
            TrainingContext context) {
        List<NDArray> weights = Networks.parameterArrays(block);
        AdamW optimizer = new AdamW(weights, manager, settings.weightDecay());
        ExponentialMovingAverage ema = new ExponentialMovingAverage(weights, manager, settings.emaDecay());
        LearningRateSchedule schedule = settings.schedule();
        Optional<CheckpointStore> store = context.checkpoints();

        int start = 0;
        double emaLoss = Double.NaN;
        if (store.isPresent()) {
            Optional<Checkpoint> latest = latest(store.get());
            if (latest.isPresent() && latest.get().step() <= settings.steps()) {
                restore(latest.get(), manager, weights, optimizer, ema);
                start = latest.get().step();
                emaLoss = latest.get().emaLoss();
            }
        }

        long began = System.nanoTime();
        double lastLoss = Double.NaN;
        ParameterStore parameterStore = new ParameterStore(manager, false);
        int skippedInARow = 0;
        int skipped = 0;
        StepProfile profile = context.profile();
        for (int step = start; step < settings.steps(); step++) {
            if (context.cancelRequested()) {
                throw new TrainingCancelledException(step);
            }
            long t0 = profile.now();
            long t1;
            long t2;
            long t3;
            long t4;
            try (NDManager scope = manager.newSubManager(); NDScope ignored = new NDScope()) {
                NDArray loss;
                GradientLock.LOCK.lock();
                try (GradientCollector collector = Engine.getEngine(manager.getEngine().getEngineName())
                        .newGradientCollector()) {
                    loss = lossFunction.loss(scope, parameterStore, step, RandomSource.forStep(settings.seed(), step));
                    context.beforeBackward(step);
                    t1 = profile.now();
                    collector.backward(loss);
                } finally {
                    GradientLock.LOCK.unlock();
                }
                t2 = profile.now();
                // the step's one read-back: its loss and its gradient norm together
                float[] lossAndNorm = NDArrays.concat(new NDList(loss.reshape(1), optimizer.gradientNorm().reshape(1)))
                        .toFloatArray();
                lastLoss = lossAndNorm[0];
                if (!Double.isFinite(lastLoss)) {
                    throw new TrainingDivergedException(step + 1, lastLoss);
                }
                double norm = optimizer.step(schedule.at(step), settings.gradientClip(), lossAndNorm[1]);
                if (Double.isFinite(norm)) {
                    skippedInARow = 0;
                } else {
                    skipped++;
                    if (++skippedInARow >= MAX_SKIPPED_STEPS) {
                        throw new TrainingDivergedException(step + 1, norm);
                    }
                }
                t3 = profile.now();
                ema.update(step + 1);
                t4 = profile.now();
            }
            emaLoss = Double.isNaN(emaLoss) ? lastLoss : LOSS_EMA * emaLoss + (1 - LOSS_EMA) * lastLoss;
            double elapsed = (System.nanoTime() - began) / 1e9;
            int done = step + 1;
            context.report(new TrainingProgress(done, settings.steps(), lastLoss, emaLoss,
                    (done - start) / Math.max(elapsed, 1e-9)));
            if (store.isPresent() && done < settings.steps() && done % context.checkpointEvery() == 0) {
                save(store.get(), done, emaLoss, weights, optimizer, ema);
            }
            profile.record(step, StepProfile.Part.FORWARD, t1 - t0);
            profile.record(step, StepProfile.Part.BACKWARD, t2 - t1);
            profile.record(step, StepProfile.Part.OPTIMIZER, t3 - t2);
            profile.record(step, StepProfile.Part.EMA, t4 - t3);
            profile.record(step, StepProfile.Part.BOOKKEEPING, profile.now() - t4);
        }
        ema.copyToWeights();
        if (skipped > 0) {
            System.getLogger(TrainingLoop.class.getName()).log(System.Logger.Level.WARNING,
                    "{0} of {1} updates were skipped because their gradients were not finite",
                    skipped, settings.steps() - start);
        }
        return new Result(settings.steps(), lastLoss, emaLoss, (System.nanoTime() - began) / 1e9, start, skipped);
    }

    private static Optional<Checkpoint> latest(CheckpointStore store) {
        try {
            return store.latest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint", e);
        }
    }

    private static void save(CheckpointStore store, int step, double emaLoss, List<NDArray> weights,
            AdamW optimizer, ExponentialMovingAverage ema) {
        NDList list = new NDList();
        list.addAll(weights);
        list.addAll(ema.state());
        list.addAll(optimizer.state());
        try {
            store.save(new Checkpoint(step, emaLoss, list.encode()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint at step " + step, e);
        }
    }

    private static void restore(Checkpoint checkpoint, NDManager manager, List<NDArray> weights, AdamW optimizer,
            ExponentialMovingAverage ema) {
        try (NDManager scope = manager.newSubManager()) {
            NDList list = NDList.decode(scope, checkpoint.tensors());
            int n = weights.size();
            if (list.size() != 4 * n) {
                throw new IllegalStateException("checkpoint holds " + list.size() + " tensors, expected " + 4 * n
                        + ": it belongs to a different architecture");
            }
            for (int i = 0; i < n; i++) {
                Networks.assign(weights.get(i), list.get(i).toFloatArray());
            }
            ema.restore(new ArrayList<>(list.subList(n, 2 * n)));
            optimizer.restore(new ArrayList<>(list.subList(2 * n, 4 * n)), checkpoint.step());
        }
    }
}
