package org.switchboard.line.sim.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.core.spi.LineUnavailableException;
import org.switchboard.line.sim.internal.SimLineDriver;

@Service
@Command(scope = "line", name = "simulate-dtmf", description = "The caller on a simulated line presses keys")
public class SimulateDtmf implements Action {

    @Reference
    SimLineDriver driver;

    @Argument(index = 0, name = "LINE", required = true, description = "Simulated line id")
    @Completion(SimLineCompleter.class)
    String line;

    @Argument(index = 1, name = "KEYS", required = true, description = "Keys: 0-9 * # A-D")
    String keys;

    @Override
    public Object execute() throws CommandException {
        try {
            SimLines.find(driver, line).press(keys);
        } catch (LineUnavailableException | IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        System.out.println("Caller on " + line + " presses " + keys);
        return null;
    }
}
