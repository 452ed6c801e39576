package org.switchboard.hw.internal.command;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.hw.api.CardSpec;
import org.switchboard.hw.api.HardwareProfile;
import org.switchboard.hw.internal.HardwareProfiles;

@Service
@Command(scope = "hw", name = "profile", description = "Shows the hardware profile the box runs")
public class HwProfile implements Action {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Reference
    HardwareProfiles profiles;

    @Override
    public Object execute() {
        var current = profiles.current();
        if (current.isPresent()) {
            HardwareProfile p = current.get();
            System.out.println("Profile:     " + p.name());
            System.out.println("Description: " + p.description());
            System.out.println("Country:     " + p.country());
            System.out.println("File:        " + p.source().toAbsolutePath().normalize());
            System.out.println("Applied:     " + WHEN.format(p.appliedAt()));
            System.out.println("Cards:       " + p.cards().size() + " (" + Summary.lines(p) + " lines, " + Summary.spans(p) + " spans"
                    + (p.cards().stream().anyMatch(c -> c.driver().equals("sip")) ? ", SIP" : "") + ")");
            for (CardSpec c : p.cards()) {
                System.out.println("  " + c.id() + ": " + c.driver());
            }
        } else {
            System.out.println("Profile:     none applied");
        }
        if (!profiles.lastFailure().isEmpty()) {
            System.out.println();
            System.out.println("The last profile change was refused (the profile above keeps running):");
            profiles.lastFailure().forEach(e -> System.out.println("  " + e));
        }
        System.out.println();
        System.out.println("Available:   " + String.join(", ", profiles.available()) + "  (in " + profiles.directory() + ")");
        return null;
    }
}
