package org.switchboard.core.internal.command;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;

@Service
@Command(scope = "call", name = "show", description = "Shows one call and its legs in detail")
public class CallShow implements Action {

    @Reference
    CallControl calls;

    @Argument(index = 0, name = "id", required = true, description = "Call id, or the id of one of its legs (see call:list)")
    @Completion(CallIdCompleter.class)
    String id;

    @Override
    public Object execute() throws CommandException {
        Call call = CallLookup.call(calls, id);
        Instant now = Instant.now();
        System.out.println("Call " + call.id() + ", started " + Durations.clock(call.startedAt()) + ", "
                + Durations.since(call.startedAt(), now) + " ago");
        for (Channel ch : call.channels()) {
            System.out.println("  leg " + ch.id() + " (" + ch.direction().name().toLowerCase() + ") on line " + ch.lineId());
            System.out.println("    state:   " + ch.state() + ch.hangupCause().map(c -> ", cause " + c).orElse(""));
            System.out.println("    from:    " + ch.callerId().display() + ", presentation " + ch.callerId().presentation());
            System.out.println("    to:      " + ch.calledNumber());
            System.out.println("    answered: " + ch.answeredAt().map(Durations::clock).orElse("no"));
            System.out.println("    bridged to: " + ch.bridgedTo().orElse("nothing"));
            System.out.println("    keys:    " + (ch.keysReceived().isEmpty() ? "none" : ch.keysReceived()));
            System.out.println("    audio:   " + ch.framesIn() + " frames in, " + ch.framesOut() + " frames out"
                    + (ch.mediaRelayed() ? "; now relayed packet by packet to the peer" : ""));
        }
        return null;
    }
}
