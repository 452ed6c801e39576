package org.switchboard.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated core configuration. A value outside its range is reported with the file, the key
 * and what is allowed, and the default is used instead, so a typo never stops the call engine.
 */
record CoreOptions(int callThreads, Duration ringTimeout, int clockRealtimePriority) {

    CoreOptions(int callThreads, Duration ringTimeout) {
        this(callThreads, ringTimeout, 0);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CoreOptions.class);
    static final String FILE = "etc/org.switchboard.core.cfg";

    static CoreOptions from(CoreConfig c) {
        List<String> errors = new ArrayList<>();
        int threads = c.call_threads();
        if (threads < 0 || threads > 64) {
            errors.add("call.threads = " + threads + " is not allowed; allowed: 0 (twice the cores) to 64");
            threads = 0;
        }
        if (threads == 0) {
            threads = 2 * Runtime.getRuntime().availableProcessors();
        }
        int ring = c.ring_timeout_seconds();
        if (ring < 10 || ring > 3600) {
            errors.add("ring.timeout.seconds = " + ring + " is not allowed; allowed: 10 to 3600");
            ring = 120;
        }
        int realtime = c.clock_realtime_priority();
        if (realtime < 0 || realtime > 49) {
            errors.add("clock.realtime.priority = " + realtime + " is not allowed; allowed: 0 (none) to 49");
            realtime = 10;
        }
        for (String e : errors) {
            LOG.error("{}: {}; using the default", FILE, e);
        }
        return new CoreOptions(threads, Duration.ofSeconds(ring), realtime);
    }
}
