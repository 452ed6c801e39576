package org.switchboard.core.internal.command;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
import org.switchboard.core.api.ChannelState;

@Service
@Command(scope = "call", name = "answer", description = "Answers a ringing call by hand (a technician's line test)")
public class CallAnswer implements Action {

    @Reference
    CallControl calls;

    @Argument(index = 0, name = "id", required = true, description = "Call id, or the id of its ringing leg")
    @Completion(CallIdCompleter.class)
    String id;

    @Override
    public Object execute() throws Exception {
        Call call = CallLookup.call(calls, id);
        Channel ringing = calls.channel(id).filter(ch -> ch.state() == ChannelState.RINGING)
                .or(() -> call.channels().stream().filter(ch -> ch.state() == ChannelState.RINGING).findFirst())
                .orElseThrow(() -> new CommandException("call " + call.id() + " has no ringing leg"));
        try {
            calls.answer(ringing).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CommandException(e.getCause().getMessage());
        }
        System.out.println("Leg " + ringing.id() + " answered");
        return null;
    }
}
