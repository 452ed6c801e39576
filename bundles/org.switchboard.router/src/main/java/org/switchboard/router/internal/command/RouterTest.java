package org.switchboard.router.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.router.internal.RouterShell;
import org.switchboard.shell.TrailingOptions;

@Service
@Command(scope = "router", name = "test", description = "Shows the route a call would take, and why each earlier route would not")
public class RouterTest implements Action {

    @Reference
    org.switchboard.router.internal.Router router;

    @Option(name = "--line", required = true, description = "The line the call arrives on (line:list)")
    String line;

    @Option(name = "--did", description = "The called number (DID); default the line's own number")
    String did;

    @Option(name = "--from", description = "The caller's number, or 'withheld' or 'unknown'")
    String from = "unknown";

    @Option(name = "--at", description = "When: 2026-11-23T20:30 or 20:30 (today), in the routes' time zone; default now")
    String at;

    @Argument(index = 0, name = "OPTIONS", multiValued = true, description = "The options, in any order")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        try {
            for (String l : RouterShell.test(router, line, did, from, at)) {
                System.out.println(l);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }
}
