package org.switchboard.line.sim.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.shell.TrailingOptions;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Dtmf;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.line.sim.internal.SimLineDriver;

@Service
@Command(scope = "line", name = "simulate-call", description = "Rings a simulated line with caller ID, as if someone called it; the caller presses --digits once the box answers")
public class SimulateCall implements Action {

    @Reference
    SimLineDriver driver;

    @Argument(index = 0, name = "LINE", required = true, description = "Simulated line id (see line:list)")
    @Completion(SimLineCompleter.class)
    String line;

    @Option(name = "--from", description = "Caller's number (digits, optional leading +)")
    String from;

    @Option(name = "--name", description = "Caller's display name")
    String name = "";

    @Option(name = "--withheld", description = "The caller withholds the number")
    boolean withheld;

    @Option(name = "--to", description = "Called number (DID); default the line's own number")
    String to = "";

    @Option(name = "--digits", description = "Keys the caller presses after the box answers, e.g. 1 or 2#")
    String digits = "";

    @Argument(index = 1, name = "OPTIONS", multiValued = true, description = "The options may also follow LINE")
    List<String> trailing;

    @Override
    public Object execute() throws CommandException {
        TrailingOptions.apply(this, trailing);
        if (withheld == (from != null)) {
            throw new CommandException(withheld ? "--withheld and --from exclude each other"
                    : "say who calls: --from NUMBER, or --withheld");
        }
        if (from != null && !from.matches("\\+?[0-9]{1,32}")) {
            throw new CommandException("--from '" + from + "' is not a phone number; allowed: digits, optionally with a leading +");
        }
        if (!to.isEmpty() && !to.matches("\\+?[0-9]{1,32}")) {
            throw new CommandException("--to '" + to + "' is not a phone number; allowed: digits, optionally with a leading +");
        }
        try {
            Dtmf.requireDigits(digits);
        } catch (IllegalArgumentException e) {
            throw new CommandException("--digits: " + e.getMessage());
        }
        CallerId caller = withheld ? CallerId.withheld() : CallerId.of(from, name);
        try {
            SimLines.find(driver, line).ring(caller, to, digits);
        } catch (LineUnavailableException e) {
            throw new CommandException(e.getMessage());
        }
        System.out.println("Line " + line + " rings: call from " + caller.display()
                + (digits.isEmpty() ? "" : "; will press " + digits + " after the answer") + ". Watch it with call:list");
        return null;
    }
}
