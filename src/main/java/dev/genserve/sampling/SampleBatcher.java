package dev.genserve.sampling;

import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.ServiceBusyException;
import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching: concurrent sample requests for one loaded model with equal {@link Generator#batchKey} run as one
 * {@link Generator#sampleBatch} computation, and each still gets exactly the bytes it would get alone.
 * <ul>
 *   <li>A request joins the open batch of its key while that has fewer than {@code maxRequests} requests and
 *       {@code maxRows} rows, else it opens a new one, which queues one task in the {@link SampleWorkers} bulkhead.</li>
 *   <li>A batch stays open until a worker starts it, so requests that arrive while the workers are busy join it. A
 *       worker that picks a batch up while other work is in flight waits up to {@code window} (from the batch's first
 *       request) for it to fill; an idle service starts a request at once.</li>
 *   <li>Each request keeps its own deadline and cancellation ({@link SampleWorkers#track}). Stopped before its batch
 *       starts, it leaves the batch; stopped while it runs, it is answered at once and its rows are dropped at the end;
 *       when every request of a running batch has stopped, the computation is interrupted.</li>
 *   <li>If the merged run rejects its options, the requests run one by one, so only the faulty one fails.</li>
 *   <li>Requests waiting in open batches count against the bulkhead's {@code maxQueued}, as queued tasks do.</li>
 * </ul>
 */
public class SampleBatcher {

    /** Turns a request's result (and the time its batch computed) into its answer. */
    @FunctionalInterface
    public interface Finisher {
        SampleOutput finish(SampleResult result, long computeNanos);
    }

    /** Requests merge only for the same loaded model instance (identity) and generator key. */
    private record Key(LoadedModel model, Object generatorKey) {}

    private static final class Member {
        final SampleSpec spec;
        final Finisher finisher;
        SampleWorkers.Task<SampleOutput> task;

        Member(SampleSpec spec, Finisher finisher) {
            this.spec = spec;
            this.finisher = finisher;
        }
    }

    /** One batch; every field is guarded by the batcher's lock. */
    private final class Batch {
        final Key key;
        final long opened = System.nanoTime();
        final List<Member> members = new ArrayList<>();
        int rows;
        boolean started;
        int live;
        SampleWorkers.Task<Void> runner;

        Batch(Key key) {
            this.key = key;
        }

        boolean accepts(int n) {
            return !started && members.size() < properties.maxRequests()
                    && (members.isEmpty() || rows + n <= properties.maxRows());
        }

        boolean full() {
            return members.size() >= properties.maxRequests() || rows >= properties.maxRows();
        }
    }

    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SampleWorkers workers;
    private final BatchingProperties properties;
    private final DistributionSummary batchSizes;
    private final Map<Key, Batch> open = new HashMap<>();
    /** Requests in batches that have not started. */
    private int waiting;

    public SampleBatcher(SampleWorkers workers, BatchingProperties properties, MeterRegistry meters) {
        this.workers = workers;
        this.properties = properties;
        this.batchSizes = DistributionSummary.builder("genserve.sampling.batch.size")
                .description("Sample requests computed together in one batch").baseUnit("requests").register(meters);
    }

    public BatchingProperties properties() {
        return properties;
    }

    /**
     * Queues a request whose {@link Generator#batchKey} is {@code generatorKey} (non-null). The caller holds a use of
     * {@code model}; {@code release} gives it back once the request is over. Throws {@link ServiceBusyException} when
     * as many requests wait as the bulkhead allows.
     */
    public SampleWorkers.Task<SampleOutput> submit(LoadedModel model, Object generatorKey, SampleSpec spec,
            Finisher finisher, Runnable release) {
        Key key = new Key(model, generatorKey);
        synchronized (this) {
            if (waiting >= workers.maxQueued()) {
                throw new ServiceBusyException("bulkhead-full", "The service has as many sample requests waiting as "
                        + "it may (" + waiting + "); retry shortly.", 1);
            }
            Batch batch = open.get(key);
            if (batch == null || !batch.accepts(spec.n())) {
                batch = open(key);
            }
            Member member = new Member(spec, finisher);
            Batch joined = batch;
            member.task = workers.track(() -> stopped(joined, member), release);
            batch.members.add(member);
            batch.rows += spec.n();
            waiting++;
            if (batch.full()) {
                open.remove(key, batch);
                notifyAll();
            }
            return member.task;
        }
    }

    /** Opens a batch holding its own use of the model, and queues the task that will run it. */
    private Batch open(Key key) {
        LoadedModel model = key.model();
        if (!model.acquire()) {
            throw new IllegalStateException("the model was closed while a request still held it");
        }
        Batch batch = new Batch(key);
        try {
            batch.runner = workers.submitShared(() -> {
                run(batch);
                return null;
            }, model::release);
        } catch (RuntimeException e) {
            model.release();
            throw e;
        }
        open.put(key, batch);
        return batch;
    }

    /** A request was cancelled or expired. */
    private synchronized void stopped(Batch batch, Member member) {
        if (!batch.started) {
            if (batch.members.remove(member)) {
                batch.rows -= member.spec.n();
                waiting--;
                if (batch.members.isEmpty()) {
                    open.remove(batch.key, batch);
                    notifyAll();
                }
            }
        } else if (--batch.live == 0) {
            batch.runner.cancel(); // nobody waits for this computation any more: interrupt it
        }
    }

    /** On a worker: waits for the batch to fill (while the service is busy), closes it, computes it. */
    private void run(Batch batch) {
        List<Member> members;
        synchronized (this) {
            long until = batch.opened + properties.window().toNanos();
            long left;
            try {
                while (!batch.full() && !batch.members.isEmpty() && workers.inFlight() > 1
                        && (left = until - System.nanoTime()) > 0) {
                    // woken when the batch fills or empties; looks again at least every millisecond, so that it
                    // starts as soon as the rest of the service goes idle
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, WAIT_SLICE_NANOS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the computation below stops at its first step
            }
            open.remove(batch.key, batch);
            batch.started = true;
            members = List.copyOf(batch.members);
            batch.live = members.size();
            waiting -= members.size();
        }
        if (members.isEmpty()) {
            return;
        }
        batchSizes.record(members.size());
        Generator generator = batch.key.model().generator();
        long t0 = System.nanoTime();
        List<SampleResult> results;
        try {
            results = generator.sampleBatch(members.stream().map(m -> m.spec).toList());
        } catch (IllegalArgumentException e) {
            runAlone(generator, members);
            return;
        } catch (RuntimeException | Error e) {
            members.forEach(m -> m.task.result().completeExceptionally(e));
            throw e;
        }
        long nanos = System.nanoTime() - t0;
        for (int i = 0; i < members.size(); i++) {
            finish(members.get(i), results.get(i), nanos);
        }
    }

    /** The merged run rejected an option: each request alone, so that only the faulty one fails. */
    private static void runAlone(Generator generator, List<Member> members) {
        for (Member m : members) {
            if (m.task.result().isDone()) {
                continue;
            }
            long t0 = System.nanoTime();
            SampleResult result;
            try {
                result = InvalidInputException.fromCore(() -> generator.sample(m.spec));
            } catch (RuntimeException e) {
                m.task.result().completeExceptionally(e);
                continue;
            }
            finish(m, result, System.nanoTime() - t0);
        }
    }

    private static void finish(Member m, SampleResult result, long nanos) {
        if (m.task.result().isDone()) {
            return; // cancelled or expired while the batch ran: its rows are dropped
        }
        try {
            m.task.result().complete(m.finisher.finish(result, nanos));
        } catch (RuntimeException e) {
            m.task.result().completeExceptionally(e);
        }
    }
}
