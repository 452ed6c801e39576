package org.switchboard.span.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.span.internal.SpanDriver;

/** Completes span ids. */
@Service
public class SpanCompleter implements Completer {

    @Reference
    SpanDriver driver;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(driver.spanIds()).complete(session, commandLine, candidates);
    }
}
