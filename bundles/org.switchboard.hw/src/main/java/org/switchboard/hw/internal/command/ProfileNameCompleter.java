package org.switchboard.hw.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.hw.internal.HardwareProfiles;

/** Completes the names of the profiles in the profiles directory. */
@Service
public class ProfileNameCompleter implements Completer {

    @Reference
    HardwareProfiles profiles;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(profiles.available()).complete(session, commandLine, candidates);
    }
}
