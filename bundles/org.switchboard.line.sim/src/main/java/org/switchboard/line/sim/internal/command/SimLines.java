package org.switchboard.line.sim.internal.command;

import org.apache.karaf.shell.support.CommandException;
import org.switchboard.line.sim.internal.SimLineDriver;
import org.switchboard.line.sim.internal.SimulatedLine;

/** Finds the simulated line a technician named. */
final class SimLines {

    private SimLines() {
    }

    static SimulatedLine find(SimLineDriver driver, String id) throws CommandException {
        return driver.line(id).orElseThrow(() -> new CommandException("no simulated line '" + id + "'"
                + (driver.lineIds().isEmpty() ? "; the applied hardware profile has no sim-line card (hw:profile)"
                : "; simulated lines: " + String.join(", ", driver.lineIds()))));
    }
}
