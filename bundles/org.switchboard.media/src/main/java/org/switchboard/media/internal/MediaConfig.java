package org.switchboard.media.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.switchboard.media.cfg}. */
@ObjectClassDefinition(id = "org.switchboard.media", name = "Switchboard media", description = "RTP ports and the jitter buffer")
public @interface MediaConfig {

    @AttributeDefinition(name = "First RTP port", description = "Even, 1024..65534")
    int rtp_port_first() default 10000;

    @AttributeDefinition(name = "Last RTP port", description = "Above the first port, at most 65535")
    int rtp_port_last() default 20000;

    @AttributeDefinition(name = "Smallest jitter buffer delay (ms)", description = "10..200")
    int jitter_min_ms() default 20;

    @AttributeDefinition(name = "Largest jitter buffer delay (ms)", description = "From the smallest up to 400")
    int jitter_max_ms() default 200;

    @AttributeDefinition(name = "Socket buffer (bytes)", description = "Receive and send buffer per RTP socket; 0 keeps the system's")
    int rtp_socket_buffer() default 0;

    @AttributeDefinition(name = "Network threads", description = "Threads reading RTP; 0 means one per core, at most 4. Allowed: 0..16")
    int rtp_threads() default 0;

    @AttributeDefinition(name = "Coalescing (µs)",
            description = "After a round of reading, the network threads wait this long for more packets: far fewer wake-ups under load. 0..2000")
    int rtp_coalesce_us() default 300;
}
