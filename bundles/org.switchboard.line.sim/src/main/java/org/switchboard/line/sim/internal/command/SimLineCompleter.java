package org.switchboard.line.sim.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.line.sim.internal.SimLineDriver;

/** Completes the ids of the simulated lines. */
@Service
public class SimLineCompleter implements Completer {

    @Reference
    SimLineDriver driver;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(driver.lineIds()).complete(session, commandLine, candidates);
    }
}
