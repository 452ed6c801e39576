package org.switchboard.span.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.span.internal.SpanDriver;

@Service
@Command(scope = "span", name = "restart", description = "Sends an ISDN RESTART for one channel or the whole span (calls on them end), to clear channels the two ends disagree about")
public class SpanRestart implements Action {

    @Reference
    SpanDriver driver;

    @Argument(index = 0, name = "SPAN", required = true, description = "Span id (see span:list)")
    @Completion(SpanCompleter.class)
    String span;

    @Argument(index = 1, name = "CHANNEL", description = "A B-channel number, or all (the default)")
    String channel = "all";

    @Override
    public Object execute() throws CommandException {
        try {
            System.out.println(driver.restart(span, channel));
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }
}
