package org.switchboard.hw.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.hw.internal.HardwareProfiles;

@Service
@Command(scope = "hw", name = "apply", description = "Validates a hardware profile and, if it has no problem, makes it the box's profile (kept across restarts)")
public class HwApply implements Action {

    @Reference
    HardwareProfiles profiles;

    @Argument(index = 0, name = "NAME", required = true, description = "Profile name: the file hardware-profiles/NAME.yaml")
    @Completion(ProfileNameCompleter.class)
    String name;

    @Override
    public Object execute() throws Exception {
        var outcome = profiles.apply(name);
        if (!outcome.applied()) {
            outcome.problems().forEach(System.out::println);
            String running = outcome.profile() == null ? "; the box runs no profile"
                    : "; profile '" + outcome.profile().name() + "' keeps running";
            throw new CommandException("profile '" + name + "' not applied: " + outcome.problems().size() + " problem(s)" + running);
        }
        profiles.remember(name);
        System.out.println(outcome.unchanged() ? "Profile '" + name + "' is already applied and unchanged"
                : "Profile '" + name + "' applied: " + Summary.of(outcome.profile()));
        return null;
    }
}
