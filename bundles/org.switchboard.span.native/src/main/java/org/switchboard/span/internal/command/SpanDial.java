package org.switchboard.span.internal.command;

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
import org.switchboard.span.internal.SpanDriver;

@Service
@Command(scope = "span", name = "dial", description = "Places a test call out through a span; follow it with span:channels or call:list, end it with call:hangup")
public class SpanDial implements Action {

    @Reference
    SpanDriver driver;

    @Reference
    CallControl calls;

    @Argument(index = 0, name = "SPAN", required = true, description = "Span id (see span:list)")
    @Completion(SpanCompleter.class)
    String span;

    @Argument(index = 1, name = "NUMBER", required = true, description = "The number to dial (digits, * #, optional leading +)")
    String number;

    @Option(name = "--from", description = "Calling number to send (default the span's number); --from withheld hides it")
    String from = "";

    @Argument(index = 2, name = "OPTIONS", multiValued = true, description = "The options may also follow the arguments")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        if (!driver.spanIds().contains(span)) {
            throw new CommandException("no span '" + span + "'; spans: " + String.join(", ", driver.spanIds()));
        }
        if (!number.matches("\\+?[0-9*#]{1,32}")) {
            throw new CommandException("'" + number + "' is not a number to dial; allowed: 1-32 of 0-9 * # with an optional leading +");
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
            ch = calls.dial(span, number, caller).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CommandException("span " + span + " cannot dial: " + e.getCause().getMessage());
        }
        System.out.println("Dialling " + number + " on span " + span + ": call " + ch.callId() + ", leg " + ch.id()
                + ". Follow it with span:channels " + span + "; end it with call:hangup " + ch.callId());
        return null;
    }
}
