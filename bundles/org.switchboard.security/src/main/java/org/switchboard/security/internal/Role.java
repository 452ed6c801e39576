package org.switchboard.security.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The two kinds of people who log in to the shell. The Karaf roles each one carries decide what
 * it may run: see the command ACLs in etc/org.apache.karaf.command.acl.*.cfg.
 */
public enum Role {
    /** Runs everything, including users and credentials. */
    ADMIN(List.of("admin", "manager", "viewer", "systembundles", "ssh")),
    /** Runs the box (lines, calls, profiles, backups, switchboard features) but not users or credentials. */
    TECHNICIAN(List.of("technician", "viewer", "ssh"));

    private final List<String> karafRoles;

    Role(List<String> karafRoles) {
        this.karafRoles = karafRoles;
    }

    public List<String> karafRoles() {
        return karafRoles;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not a role; allowed: "
                + String.join(", ", Arrays.stream(values()).map(Role::label).toList()));
    }
}
