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
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.line.sim.internal.SimLineDriver;

@Service
@Command(scope = "line", name = "simulate-hangup", description = "The far end of a simulated line hangs up")
public class SimulateHangup implements Action {

    @Reference
    SimLineDriver driver;

    @Argument(index = 0, name = "LINE", required = true, description = "Simulated line id")
    @Completion(SimLineCompleter.class)
    String line;

    @Option(name = "--cause", description = "Q.850 cause the line reports, by name or number (default NORMAL_CLEARING)")
    String cause = "NORMAL_CLEARING";

    @Argument(index = 1, name = "OPTIONS", multiValued = true, description = "The options may also follow LINE")
    List<String> trailing;

    @Override
    public Object execute() throws CommandException {
        TrailingOptions.apply(this, trailing);
        HangupCause c;
        try {
            c = HangupCause.parse(cause);
            SimLines.find(driver, line).farEndHangup(c);
        } catch (LineUnavailableException | IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        System.out.println("Far end of " + line + " hung up with " + c);
        return null;
    }
}
