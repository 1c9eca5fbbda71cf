package dev.genserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DjlBootstrapTest {

    @Test
    void offlineAndGraphOptimizerAreSetAndRepeatedCallsChangeNothing() {
        DjlBootstrap.applyBeforeEngineLoads();
        assertThat(System.getProperty(DjlBootstrap.OFFLINE)).isNotNull();
        assertThat(System.getProperty(DjlBootstrap.GRAPH_OPTIMIZER)).isEqualTo("false");
        String offline = System.getProperty(DjlBootstrap.OFFLINE);
        Map<String, String> second = DjlBootstrap.apply(key -> "genserve.djl.offline".equals(key) ? "false" : null);
        assertThat(second).doesNotContainKeys(DjlBootstrap.OFFLINE, DjlBootstrap.GRAPH_OPTIMIZER);
        assertThat(System.getProperty(DjlBootstrap.OFFLINE)).isEqualTo(offline);
        assertThat(System.getProperty("PYTORCH_VERSION")).isNull();
        assertThat(System.getProperty("PYTORCH_FLAVOR")).isNull();
    }

    @Test
    void badThreadCountsAreRejected() {
        assertThatThrownBy(() -> DjlBootstrap.apply(key -> "genserve.djl.threads".equals(key) ? "two" : null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GENSERVE_DJL_THREADS");
        assertThatThrownBy(() -> DjlBootstrap.apply(key -> "genserve.djl.threads".equals(key) ? "0" : null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneIntraOpThreadByDefaultOnTwoCoresAndPyTorchsDefaultAbove() {
        assertThat(DjlBootstrap.defaultThreads(1)).isEqualTo(1);
        assertThat(DjlBootstrap.defaultThreads(2)).isEqualTo(1);
        assertThat(DjlBootstrap.defaultThreads(4)).isNull();
    }
}
