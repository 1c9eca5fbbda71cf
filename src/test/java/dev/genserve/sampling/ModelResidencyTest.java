package dev.genserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.data.Standardizer;
import dev.genserve.sampling.LoadedModelTest.CountingGenerator;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The model cache's bounds: by weight bytes and by count, least recently acquired first, a dropped model retired off
 * the request thread and closed only once nobody uses it.
 */
class ModelResidencyTest {

    private static final long MB = 1 << 20;

    /** Runs the cache's removal work only when told to, so a test sees what the request thread did itself. */
    private static final class LaterExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized void runAll() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    private final Map<UUID, CountingGenerator> generators = new HashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final LaterExecutor executor = new LaterExecutor();

    private ModelResidency residency(int maxModels, long maxBytes) {
        return new ModelResidency(maxModels, maxBytes, executor, new ModelResidency.Listener() {
            @Override
            public void hit() {
            }

            @Override
            public void miss() {
                loads.incrementAndGet();
            }

            @Override
            public void dropped() {
                dropped.incrementAndGet();
            }
        });
    }

    /** Acquires {@code id}, loading a model of {@code bytes} if absent; the caller releases it. */
    private LoadedModel take(ModelResidency r, UUID id, long bytes) {
        return r.acquire(id, key -> {
            CountingGenerator g = new CountingGenerator();
            generators.put(key, g);
            return new LoadedModel(g, Standardizer.of(new double[] {0, 0}, new double[] {1, 1}), new int[] {2},
                    bytes / 4, bytes);
        });
    }

    private void use(ModelResidency r, UUID id, long bytes) {
        take(r, id, bytes).release();
        executor.runAll();
    }

    @Test
    void withRoomForLessThanTwoModelsLoadingASecondDropsAndClosesTheFirst() {
        ModelResidency r = residency(10, 15 * MB);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        use(r, a, 10 * MB);
        use(r, a, 10 * MB); // a hit: a was used more often than b will be (a frequency policy would keep it)
        use(r, a, 10 * MB);
        use(r, b, 10 * MB);
        assertThat(r.contains(b)).as("the newly loaded model stays").isTrue();
        assertThat(r.contains(a)).isFalse();
        assertThat(generators.get(a).closes.get()).isEqualTo(1);
        assertThat(generators.get(b).closes.get()).isZero();
        assertThat(r.bytes()).isEqualTo(10 * MB);
        assertThat(dropped.get()).isEqualTo(1);
        use(r, b, 10 * MB);
        assertThat(loads.get()).as("b is not loaded again").isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedGoesFirstNotTheFirstLoaded() {
        ModelResidency r = residency(10, 25 * MB);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        use(r, a, 10 * MB);
        use(r, b, 10 * MB);
        use(r, a, 10 * MB); // a is now more recent than b
        use(r, c, 10 * MB);
        assertThat(r.contains(a)).isTrue();
        assertThat(r.contains(b)).isFalse();
        assertThat(r.contains(c)).isTrue();
        assertThat(generators.get(b).closes.get()).isEqualTo(1);
        assertThat(generators.get(a).closes.get()).isZero();
    }

    @Test
    void theCountBoundHoldsToo() {
        ModelResidency r = residency(2, Long.MAX_VALUE);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        use(r, a, MB);
        use(r, b, MB);
        use(r, c, MB);
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.contains(a)).isFalse();
    }

    @Test
    void anEvictedModelInUseStaysUsableUntilReleasedAndClosesAfterOffTheRequestThread() {
        ModelResidency r = residency(10, 15 * MB);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        LoadedModel heldA = take(r, a, 10 * MB); // a request is still sampling from a
        use(r, b, 10 * MB);
        assertThat(r.contains(a)).isFalse();
        assertThat(heldA.isClosed()).as("retired, but its user holds it").isFalse();
        assertThat(generators.get(a).closes.get()).isZero();
        heldA.generator().dimension(); // still usable
        heldA.release();
        assertThat(generators.get(a).closes.get()).as("its last user closed it").isEqualTo(1);

        UUID c = UUID.randomUUID();
        take(r, c, 10 * MB).release();
        assertThat(r.contains(b)).isFalse();
        assertThat(generators.get(b).closes.get()).as("retiring is queued on the executor, not done inline")
                .isZero();
        executor.runAll();
        assertThat(generators.get(b).closes.get()).isEqualTo(1);
    }

    @Test
    void aModelLargerThanTheBoundIsServedAndKeptWhileItIsTheOnlyOne() {
        ModelResidency r = residency(10, MB);
        UUID a = UUID.randomUUID();
        LoadedModel m = take(r, a, 10 * MB);
        executor.runAll();
        assertThat(m.isClosed()).isFalse();
        m.release();
        executor.runAll();
        assertThat(r.contains(a)).isTrue();
        use(r, a, 10 * MB);
        assertThat(loads.get()).isEqualTo(1);
    }
}
