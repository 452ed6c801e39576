package org.switchboard.core.internal.command;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.shell.TrailingOptions;

@Service
@Command(scope = "line", name = "dial", description = "Dials a number on a line as a test call; follow it with call:list and end it with call:hangup")
public class LineDial implements Action {

    @Reference
    CallControl calls;

    @Argument(index = 0, name = "LINE", required = true, description = "Line id (see line:list)")
    @Completion(LineIdCompleter.class)
    String line;

    @Argument(index = 1, name = "NUMBER", required = true, description = "The number to dial")
    String number;

    @Option(name = "--from", description = "Caller ID to present where the line allows it; --from withheld hides it")
    String from = "";

    @Argument(index = 2, name = "OPTIONS", multiValued = true, description = "The options may also follow the arguments")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        if (!number.matches("\\+?[0-9*#,]{1,32}")) {
            throw new CommandException("'" + number + "' is not a number to dial; allowed: 1-32 of 0-9 * # , with an optional leading +");
        }
        CallerId caller;
        if (from.isEmpty()) {
            caller = CallerId.UNKNOWN;
        } else if (from.equals("withheld")) {
            caller = CallerId.withheld();
        } else if (from.matches("\\+?[0-9]{1,32}")) {
            caller = CallerId.of(from);
        } else {
            throw new CommandException("--from '" + from + "': allowed: a number, or withheld");
        }
        Channel ch;
        try {
            ch = calls.dial(line, number, caller).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CommandException("line " + line + " cannot dial: " + e.getCause().getMessage());
        }
        System.out.println("Dialling " + number + " on " + line + ": call " + ch.callId() + ", leg " + ch.id()
                + ". Follow it with call:list; end it with call:hangup " + ch.callId());
        return null;
    }
}
