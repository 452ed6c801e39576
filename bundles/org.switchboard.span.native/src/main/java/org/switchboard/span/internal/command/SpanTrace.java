package org.switchboard.span.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.span.internal.SpanDriver;

@Service
@Command(scope = "span", name = "trace", description = "Logs the decoded Q.931 dialogue of a span (logger org.switchboard.span.trace; read it with log:tail)")
public class SpanTrace implements Action {

    @Reference
    SpanDriver driver;

    @Argument(index = 0, name = "SPAN", required = true, description = "Span id (see span:list)")
    @Completion(SpanCompleter.class)
    String span;

    @Argument(index = 1, name = "on|off", required = true, description = "on or off")
    @Completion(value = StringsCompleter.class, values = {"on", "off"})
    String onOff;

    @Override
    public Object execute() throws CommandException {
        if (!onOff.equals("on") && !onOff.equals("off")) {
            throw new CommandException("'" + onOff + "' is not allowed; allowed: on, off");
        }
        try {
            driver.trace(span, onOff.equals("on"));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        System.out.println("Q.931 trace of " + span + " " + onOff + (onOff.equals("on") ? ": log:tail shows it" : ""));
        return null;
    }
}
