package dev.genserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.ServiceBusyException;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.Generator;
import dev.genserve.generative.Interruptions;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.data.Standardizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher merges what may be merged and nothing else, within its limits; every request still gets its own answer,
 * deadline and cancellation: one that stops (before or while its batch runs) never costs the others their answers,
 * and a batch nobody waits for any more is interrupted. Uses a fake generator whose samples are a function of the
 * seed, so that a mixed-up answer shows.
 */
class SampleBatcherTest {

    /** Samples are n rows of [seed, row]; records the batches; a spec with seed −1 is invalid. */
    private static final class FakeGenerator implements Generator {
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean spinUntilInterrupted;
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<String> samplers() {
            return List.of();
        }

        @Override
        public Object batchKey(SampleSpec spec) {
            return spec.n() <= 100 ? "key-" + (spec.sampler() == null ? "" : spec.sampler()) : null;
        }

        @Override
        public SampleResult sample(SampleSpec spec) {
            if (spec.seed() == -1) {
                throw new IllegalArgumentException("seed −1 is not allowed here");
            }
            float[] rows = new float[spec.n() * 2];
            for (int i = 0; i < spec.n(); i++) {
                rows[2 * i] = spec.seed();
                rows[2 * i + 1] = i;
            }
            return new SampleResult(new FloatMatrix(rows, spec.n(), 2), 1);
        }

        @Override
        public List<SampleResult> sampleBatch(List<SampleSpec> specs) {
            batches.add(specs.size());
            entered.countDown();
            boolean wasInterrupted = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gate.getCount() > 0 && System.nanoTime() < until) { // a step that no interrupt stops
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    wasInterrupted = true;
                }
            }
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
            try {
                while (spinUntilInterrupted) {
                    Interruptions.check();
                    Thread.onSpinWait();
                }
            } catch (RuntimeException e) {
                interrupted.countDown();
                throw e;
            }
            if (specs.stream().anyMatch(s -> s.seed() == -1)) {
                throw new IllegalArgumentException("one of these is invalid");
            }
            List<SampleResult> out = new ArrayList<>();
            for (SampleSpec s : specs) {
                out.add(sample(s));
            }
            return out;
        }

        @Override
        public void save(Path directory) {}

        @Override
        public void close() {}
    }

    private SampleWorkers workers;
    private final FakeGenerator generator = new FakeGenerator();
    private final LoadedModel model = new LoadedModel(generator, Standardizer.of(new double[] {0, 0},
            new double[] {1, 1}), new int[] {2}, 10);
    private final AtomicInteger released = new AtomicInteger();

    @AfterEach
    void stop() {
        if (workers != null && workers.isRunning()) {
            workers.stop();
        }
    }

    private SampleBatcher batcher(int threads, int queued, Duration deadline, Duration window, int maxRequests,
            int maxRows) {
        workers = new SampleWorkers("test", threads, queued, deadline, Duration.ofSeconds(1));
        workers.start();
        return new SampleBatcher(workers, new BatchingProperties(true, window, maxRequests, maxRows),
                new SimpleMeterRegistry());
    }

    private SampleWorkers.Task<SampleOutput> submit(SampleBatcher batcher, int n, long seed) {
        SampleSpec spec = SampleSpec.of(n, seed);
        assertThat(model.acquire()).isTrue();
        return batcher.submit(model, generator.batchKey(spec), spec, (r, nanos) -> new SampleOutput("m", 1, "fake", seed,
                new int[] {2}, r.samples(), r.functionEvaluations(), List.of(), nanos / 1e6, r.labels()), () -> {
                    released.incrementAndGet();
                    model.release();
                });
    }

    /** Occupies the only worker until the returned latch is counted down. */
    private CountDownLatch occupyTheWorker() throws InterruptedException {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        workers.submit(() -> {
            running.countDown();
            return hold.await(10, TimeUnit.SECONDS);
        }, () -> { });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        return hold;
    }

    private static void assertOwnAnswer(SampleWorkers.Task<SampleOutput> task, int n, long seed) throws Exception {
        FloatMatrix samples = task.result().get(10, TimeUnit.SECONDS).samples();
        assertThat(samples.rows()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(samples.get(i, 0)).isEqualTo((float) seed);
            assertThat(samples.get(i, 1)).isEqualTo((float) i);
        }
    }

    private boolean awaitIdle() throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            if (workers.inFlight() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void requestsArrivingWhileTheWorkerIsBusyRunAsOneBatchEachWithItsOwnAnswer() throws Exception {
        SampleBatcher batcher = batcher(1, 16, Duration.ofSeconds(30), Duration.ZERO, 32, 4096);
        CountDownLatch hold = occupyTheWorker();
        List<SampleWorkers.Task<SampleOutput>> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(submit(batcher, 3 + i, 100 + i));
        }
        hold.countDown();
        for (int i = 0; i < 5; i++) {
            assertOwnAnswer(tasks.get(i), 3 + i, 100 + i);
        }
        assertThat(generator.batches).containsExactly(5);
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).isEqualTo(5);
        assertThat(model.acquire()).as("every use of the model was given back, the batch's own too").isTrue();
        model.release();
    }

    @Test
    void batchesStopAtMaxRequestsAndMaxRows() throws Exception {
        SampleBatcher batcher = batcher(1, 32, Duration.ofSeconds(30), Duration.ZERO, 3, 25);
        CountDownLatch hold = occupyTheWorker();
        List<SampleWorkers.Task<SampleOutput>> tasks = new ArrayList<>();
        int[] sizes = {2, 2, 2, /* full by count */ 2, 20, /* 22 rows: 5 more would make 27 > 25 */ 5};
        for (int i = 0; i < sizes.length; i++) {
            tasks.add(submit(batcher, sizes[i], i));
        }
        hold.countDown();
        for (int i = 0; i < sizes.length; i++) {
            assertOwnAnswer(tasks.get(i), sizes[i], i);
        }
        assertThat(generator.batches).containsExactly(3, 2, 1);
    }

    @Test
    void differentKeysNeverMerge() throws Exception {
        SampleBatcher batcher = batcher(1, 16, Duration.ofSeconds(30), Duration.ZERO, 32, 4096);
        CountDownLatch hold = occupyTheWorker();
        SampleSpec other = SampleSpec.of(4, 9).withSampler("other", 5);
        assertThat(model.acquire()).isTrue();
        var a = batcher.submit(model, generator.batchKey(other), other, (r, nanos) -> new SampleOutput("m", 1, "fake", 9,
                new int[] {2}, r.samples(), 1, List.of(), 0, null), model::release);
        var b = submit(batcher, 4, 10);
        hold.countDown();
        assertOwnAnswer(a, 4, 9);
        assertOwnAnswer(b, 4, 10);
        assertThat(generator.batches).containsExactly(1, 1);
    }

    @Test
    void aRequestCancelledBeforeItsBatchStartsLeavesIt() throws Exception {
        SampleBatcher batcher = batcher(1, 16, Duration.ofSeconds(30), Duration.ZERO, 32, 4096);
        CountDownLatch hold = occupyTheWorker();
        var a = submit(batcher, 2, 1);
        var b = submit(batcher, 2, 2);
        var c = submit(batcher, 2, 3);
        b.cancel();
        assertThatThrownBy(() -> b.result().get()).cause().isInstanceOf(ServiceBusyException.class)
                .hasMessageContaining("cancelled");
        hold.countDown();
        assertOwnAnswer(a, 2, 1);
        assertOwnAnswer(c, 2, 3);
        assertThat(generator.batches).containsExactly(2);
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).isEqualTo(3);
    }

    @Test
    void aRequestThatExpiresInItsBatchDropsOutWithoutHurtingTheOthers() throws Exception {
        SampleBatcher batcher = batcher(1, 16, Duration.ofMillis(1500), Duration.ZERO, 32, 4096);
        generator.gate = new CountDownLatch(1);
        submit(batcher, 1, 0); // runs, and holds the worker until the gate opens, deadline or not
        assertThat(generator.entered.await(5, TimeUnit.SECONDS)).isTrue();
        var early = submit(batcher, 2, 1);
        Thread.sleep(900);
        var late = submit(batcher, 2, 2);
        assertThatThrownBy(() -> early.result().get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ServiceBusyException.class).hasMessageContaining("deadline");
        generator.gate.countDown();
        assertOwnAnswer(late, 2, 2);
        assertThat(generator.batches).as("the expired request was not computed").containsExactly(1, 1);
    }

    @Test
    void aRequestCancelledWhileItsBatchRunsIsAnsweredAtOnceAndTheOthersStillGetTheirs() throws Exception {
        SampleBatcher batcher = batcher(1, 16, Duration.ofSeconds(30), Duration.ZERO, 32, 4096);
        CountDownLatch hold = occupyTheWorker();
        generator.gate = new CountDownLatch(1);
        var a = submit(batcher, 2, 1);
        var b = submit(batcher, 3, 2);
        hold.countDown();
        assertThat(generator.entered.await(5, TimeUnit.SECONDS)).isTrue();
        a.cancel();
        assertThat(a.result().isCompletedExceptionally()).isTrue();
        generator.gate.countDown();
        assertOwnAnswer(b, 3, 2);
    }

    @Test
    void aRunningBatchThatEveryoneLeftIsInterrupted() throws Exception {
        SampleBatcher batcher = batcher(1, 16, Duration.ofSeconds(30), Duration.ZERO, 32, 4096);
        generator.spinUntilInterrupted = true;
        var a = submit(batcher, 2, 1);
        assertThat(generator.entered.await(5, TimeUnit.SECONDS)).isTrue();
        a.cancel();
        assertThat(generator.interrupted.await(5, TimeUnit.SECONDS)).as("the computation itself stopped").isTrue();
        assertThat(awaitIdle()).isTrue();
        assertThat(released.get()).isEqualTo(1);
    }

    @Test
    void anOptionTheMergedRunRejectsFailsOnlyItsOwnRequest() throws Exception {
        SampleBatcher batcher = batcher(1, 16, Duration.ofSeconds(30), Duration.ZERO, 32, 4096);
        CountDownLatch hold = occupyTheWorker();
        var good = submit(batcher, 2, 5);
        var bad = submit(batcher, 2, -1);
        hold.countDown();
        assertOwnAnswer(good, 2, 5);
        assertThatThrownBy(() -> bad.result().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InvalidInputException.class).hasMessageContaining("seed −1");
    }

    @Test
    void anIdleServiceDoesNotWaitOutTheWindowButABusyOneGathersRequests() throws Exception {
        SampleBatcher batcher = batcher(2, 16, Duration.ofSeconds(30), Duration.ofSeconds(20), 32, 4096);
        long t0 = System.nanoTime();
        assertOwnAnswer(submit(batcher, 2, 1), 2, 1);
        assertThat((System.nanoTime() - t0) / 1e9).as("alone: started at once").isLessThan(5);
        CountDownLatch hold = occupyTheWorker(); // busy: the other worker now waits for more requests
        generator.batches.clear();
        var a = submit(batcher, 2, 2);
        Thread.sleep(300);
        var b = submit(batcher, 2, 3);
        var c = submit(batcher, 2, 4);
        Thread.sleep(300);
        assertThat(a.result().isDone()).as("still gathering within its window").isFalse();
        hold.countDown(); // no longer busy: the waiting batch starts with what it gathered
        assertOwnAnswer(a, 2, 2);
        assertOwnAnswer(b, 2, 3);
        assertOwnAnswer(c, 2, 4);
        assertThat(generator.batches).containsExactly(3);
    }

    @Test
    void waitingRequestsCountAgainstTheQueueBound() throws Exception {
        SampleBatcher batcher = batcher(1, 2, Duration.ofSeconds(30), Duration.ZERO, 32, 4096);
        CountDownLatch hold = occupyTheWorker();
        var a = submit(batcher, 2, 1);
        var b = submit(batcher, 2, 2);
        assertThatThrownBy(() -> submit(batcher, 2, 3)).isInstanceOf(ServiceBusyException.class)
                .hasMessageContaining("waiting");
        model.release(); // the refused request's use, which its caller still owns
        hold.countDown();
        assertOwnAnswer(a, 2, 1);
        assertOwnAnswer(b, 2, 2);
    }
}
