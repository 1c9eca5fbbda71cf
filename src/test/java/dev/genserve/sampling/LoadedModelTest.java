package dev.genserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genserve.generative.Generator;
import dev.genserve.generative.SampleResult;
import dev.genserve.generative.SampleSpec;
import dev.genserve.generative.data.Standardizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Eviction and shutdown never wait for a request that uses the model (the old cache blocked the evicting request
 * and SIGTERM on a read-write lock): a retired model is closed by its last user, exactly once.
 */
class LoadedModelTest {

    /** Counts closes; samples nothing. */
    static final class CountingGenerator implements Generator {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<String> samplers() {
            return List.of();
        }

        @Override
        public SampleResult sample(SampleSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(Path directory) {
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    private static LoadedModel model(CountingGenerator g) {
        return new LoadedModel(g, Standardizer.of(new double[] {0, 0}, new double[] {1, 1}), new int[] {2}, 10);
    }

    @Test
    void retiringAModelInUseDoesNotWaitAndTheLastUserClosesIt() throws Exception {
        CountingGenerator g = new CountingGenerator();
        LoadedModel m = model(g);
        assertThat(m.acquire()).isTrue();
        assertThat(m.acquire()).isTrue();
        CompletableFuture.runAsync(m::retire).get(1, TimeUnit.SECONDS); // returns at once although two users hold it
        assertThat(g.closes.get()).isZero();
        m.release();
        assertThat(g.closes.get()).isZero();
        m.release();
        assertThat(g.closes.get()).isEqualTo(1);
        assertThat(m.acquire()).as("a closed model cannot be taken again").isFalse();
        m.retire();
        assertThat(g.closes.get()).isEqualTo(1);
    }

    @Test
    void anUnusedModelClosesWhenRetired() {
        CountingGenerator g = new CountingGenerator();
        LoadedModel m = model(g);
        m.retire();
        assertThat(g.closes.get()).isEqualTo(1);
        assertThat(m.isClosed()).isTrue();
    }

    @Test
    void aRetiredModelStillInTheCacheCanBeUsedUntilItCloses() {
        CountingGenerator g = new CountingGenerator();
        LoadedModel m = model(g);
        assertThat(m.acquire()).isTrue();
        m.retire();
        assertThat(m.acquire()).as("a request that found it before the eviction may still use it").isTrue();
        m.release();
        m.release();
        assertThat(g.closes.get()).isEqualTo(1);
    }
}
