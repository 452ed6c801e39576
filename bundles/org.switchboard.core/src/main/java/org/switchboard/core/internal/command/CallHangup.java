package org.switchboard.core.internal.command;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.HangupCause;
import org.switchboard.shell.TrailingOptions;

@Service
@Command(scope = "call", name = "hangup", description = "Ends a call (every leg), or one leg of it")
public class CallHangup implements Action {

    @Reference
    CallControl calls;

    @Argument(index = 0, name = "id", required = true, description = "Call id to end the whole call, or a leg id to end one leg")
    @Completion(CallIdCompleter.class)
    String id;

    @Option(name = "--cause", description = "Q.850 cause, by name or number (default NORMAL_CLEARING)")
    String cause = "NORMAL_CLEARING";

    @Argument(index = 1, name = "OPTIONS", multiValued = true, description = "The options may also follow the id")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        HangupCause c;
        try {
            c = HangupCause.parse(cause);
        } catch (IllegalArgumentException e) {
            throw new CommandException("--cause: " + e.getMessage());
        }
        var leg = calls.channel(id);
        if (leg.isPresent() && calls.call(id).isEmpty()) {
            Channel ch = leg.get();
            calls.hangup(ch, c).toCompletableFuture().get(5, TimeUnit.SECONDS);
            System.out.println("Leg " + ch.id() + " of call " + ch.callId() + " hung up with " + c);
        } else {
            Call call = CallLookup.call(calls, id);
            calls.hangup(call, c).toCompletableFuture().get(5, TimeUnit.SECONDS);
            System.out.println("Call " + call.id() + " hung up with " + c);
        }
        return null;
    }
}
