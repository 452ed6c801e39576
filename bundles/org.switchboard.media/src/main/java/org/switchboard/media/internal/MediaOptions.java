package org.switchboard.media.internal;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The validated media configuration: a bad value is reported (file, key, allowed) and its default used. */
record MediaOptions(int portFirst, int portLast, int jitterMinMs, int jitterMaxMs, int socketBuffer,
                    int networkThreads, int coalesceMicros) {

    private static final Logger LOG = LoggerFactory.getLogger(MediaOptions.class);
    static final String FILE = "etc/org.switchboard.media.cfg";

    static MediaOptions defaults() {
        return new MediaOptions(10000, 20000, 20, 200, 0, 0, 300);
    }

    static MediaOptions from(MediaConfig c) {
        List<String> errors = new ArrayList<>();
        MediaOptions d = defaults();
        int first = c.rtp_port_first();
        int last = c.rtp_port_last();
        if (first < 1024 || first > 65534 || first % 2 != 0) {
            errors.add("rtp.port.first = " + first + " is not allowed; allowed: an even port from 1024 to 65534");
            first = d.portFirst();
        }
        if (last <= first || last > 65535) {
            errors.add("rtp.port.last = " + last + " is not allowed; allowed: above rtp.port.first (" + first + "), at most 65535");
            last = Math.max(first + 1, Math.min(65535, d.portLast()));
        }
        int min = c.jitter_min_ms();
        int max = c.jitter_max_ms();
        if (min < 10 || min > 200) {
            errors.add("jitter.min.ms = " + min + " is not allowed; allowed: 10 to 200");
            min = d.jitterMinMs();
        }
        if (max < min || max > 400) {
            errors.add("jitter.max.ms = " + max + " is not allowed; allowed: " + min + " to 400");
            max = Math.max(min, d.jitterMaxMs());
        }
        int buffer = c.rtp_socket_buffer();
        if (buffer < 0 || buffer > 16 * 1024 * 1024) {
            errors.add("rtp.socket.buffer = " + buffer + " is not allowed; allowed: 0 (system default) to 16777216");
            buffer = 0;
        }
        int threads = c.rtp_threads();
        if (threads < 0 || threads > 16) {
            errors.add("rtp.threads = " + threads + " is not allowed; allowed: 0 (one per core, at most 4) to 16");
            threads = 0;
        }
        int coalesce = c.rtp_coalesce_us();
        if (coalesce < 0 || coalesce > 2000) {
            errors.add("rtp.coalesce.us = " + coalesce + " is not allowed; allowed: 0 to 2000");
            coalesce = d.coalesceMicros();
        }
        for (String e : errors) {
            LOG.error("{}: {}; using the default", FILE, e);
        }
        return new MediaOptions(first, last, min, max, buffer, threads, coalesce);
    }
}
