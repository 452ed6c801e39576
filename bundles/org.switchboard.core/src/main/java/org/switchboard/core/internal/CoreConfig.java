package org.switchboard.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.switchboard.core.cfg}. */
@ObjectClassDefinition(id = "org.switchboard.core", name = "Switchboard core",
        description = "Call control and the media clock")
public @interface CoreConfig {

    @AttributeDefinition(name = "Call-control threads",
            description = "Threads shared by the per-call executors; 0 means twice the number of cores. Allowed: 0..64.",
            min = "0", max = "64")
    int call_threads() default 0;

    @AttributeDefinition(name = "Unanswered ring limit (s)",
            description = "An inbound leg that nobody answers is released with NO_ANSWER after this many seconds. Allowed: 10..3600.",
            min = "10", max = "3600")
    int ring_timeout_seconds() default 120;

    @AttributeDefinition(name = "Media clock real-time priority",
            description = "SCHED_FIFO priority of the media clock thread, so that a busy box still sends every "
                    + "frame on time; 0 = none (the clock then runs at nice -5 when bin/setenv may raise it). Needs "
                    + "root, CAP_SYS_NICE or a real-time limit (systemd LimitRTPRIO=). Allowed: 0..49.",
            min = "0", max = "49")
    int clock_realtime_priority() default 10;
}
