package org.switchboard.core.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.core.spi.MediaClock;

@Service
@Command(scope = "media", name = "clock", description = "Shows the figures of the 20 ms media clock")
public class MediaClockStatus implements Action {

    @Reference
    MediaClock clock;

    @Override
    public Object execute() {
        MediaClock.Stats s = clock.stats();
        System.out.printf("ticks:         %d (%.1f min)%n", s.ticks(), s.ticks() / 3000.0);
        System.out.printf("legs moved:    %d%n", s.activeLegs());
        System.out.printf("late ticks:    %d (started > 2 ms late)%n", s.lateTicks());
        System.out.printf("skipped ticks: %d (20 ms audio gaps after a stall)%n", s.skippedTicks());
        System.out.printf("overruns:      %d (work longer than 20 ms)%n", s.overruns());
        System.out.printf("work per tick: last %.3f ms, max %.3f ms%n", s.lastWorkNanos() / 1e6, s.maxWorkNanos() / 1e6);
        System.out.printf("task errors:   %d%n", s.taskErrors());
        System.out.printf("priority:      %s%n", clock.schedulingPriority());
        return null;
    }
}
