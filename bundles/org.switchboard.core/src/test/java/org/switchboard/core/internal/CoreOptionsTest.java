package org.switchboard.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import org.junit.jupiter.api.Test;

class CoreOptionsTest {

    private static CoreConfig config(int threads, int ring, int realtime) {
        return new CoreConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CoreConfig.class;
            }

            @Override
            public int call_threads() {
                return threads;
            }

            @Override
            public int ring_timeout_seconds() {
                return ring;
            }

            @Override
            public int clock_realtime_priority() {
                return realtime;
            }
        };
    }

    @Test
    void valuesInRangeAreTaken() {
        CoreOptions o = CoreOptions.from(config(4, 30, 0));
        assertThat(o.callThreads()).isEqualTo(4);
        assertThat(o.ringTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.clockRealtimePriority()).isZero();
    }

    @Test
    void valuesOutOfRangeFallBackToTheirDefaults() {
        CoreOptions o = CoreOptions.from(config(65, 5, 99));
        assertThat(o.callThreads()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
        assertThat(o.ringTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(o.clockRealtimePriority()).isEqualTo(10);
    }

    @Test
    void theClockReportsTheSchedulingItGot() throws Exception {
        ExecutorService reporter = Executors.newSingleThreadExecutor();
        MediaClockImpl clock = new MediaClockImpl(reporter);
        clock.start();
        try {
            clock.realtime(0);
            Poll.until("the clock's priority read", () -> !clock.schedulingPriority().startsWith("not known"));
            // on Linux the thread's nice value is read from /proc: raised when bin/setenv's JVM flag
            // and the account allow it (not in a plain test JVM), else normal
            assertThat(clock.schedulingPriority()).matches("(raised \\(nice -\\d+\\)|normal \\(nice \\d+\\)).*");
        } finally {
            clock.stop();
            reporter.shutdown();
        }
    }
}
