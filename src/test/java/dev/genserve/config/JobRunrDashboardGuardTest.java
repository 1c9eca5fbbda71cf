package dev.genserve.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The JobRunr dashboard never opens without a login. */
class JobRunrDashboardGuardTest {

    @Test
    void enabledWithoutCredentialsIsRefused() {
        assertThatThrownBy(() -> JobRunrDashboardGuard.check(true, null, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jobrunr.dashboard.username");
        assertThatThrownBy(() -> JobRunrDashboardGuard.check(true, "ops", " ")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> JobRunrDashboardGuard.check(true, "", "pw")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void offOrWithCredentialsStarts() {
        assertThatCode(() -> JobRunrDashboardGuard.check(false, null, null)).doesNotThrowAnyException();
        assertThatCode(() -> JobRunrDashboardGuard.check(true, "ops", "secret")).doesNotThrowAnyException();
    }
}
