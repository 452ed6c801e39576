package org.switchboard.core.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.core.internal.CallEngine;

/** Completes the ids of the lines that drivers publish. */
@Service
public class LineIdCompleter implements Completer {

    @Reference
    CallEngine engine;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(engine.lines().keySet()).complete(session, commandLine, candidates);
    }
}
