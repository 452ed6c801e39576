package org.switchboard.core.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;

/** Completes the ids of calls that are up and of their legs. */
@Service
public class CallIdCompleter implements Completer {

    @Reference
    CallControl calls;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        for (Call c : calls.calls()) {
            ids.getStrings().add(c.id());
            for (Channel ch : c.channels()) {
                ids.getStrings().add(ch.id());
            }
        }
        return ids.complete(session, commandLine, candidates);
    }
}
