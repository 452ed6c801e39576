package org.switchboard.security.internal.command;

import java.io.IOException;
import java.util.Arrays;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.security.internal.Credentials;
import org.switchboard.security.internal.Role;
import org.switchboard.security.internal.ShellRealm;

/** Asks for a new password twice, without echo, and checks it. */
final class Passwords {

    private Passwords() {
    }

    /**
     * Gives the user this role and a new password: asked twice, or generated when {@code generate}.
     *
     * @return what to append to the confirmation: the generated password (shown once), or nothing
     */
    static String set(ShellRealm realm, Session session, String user, Role role, boolean generate)
            throws CommandException, IOException {
        char[] pw = generate ? Credentials.generate().toCharArray() : ask(session, user);
        try {
            realm.store().put(user, role, pw);
            return generate ? "; password (shown once): " + new String(pw) : "";
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private static char[] ask(Session session, String user) throws CommandException, IOException {
        String first = session.readLine("New password for " + user + ": ", '*');
        String second = session.readLine("Again: ", '*');
        if (first == null || second == null) {
            throw new CommandException("no password given; nothing changed (use --generate from scripts)");
        }
        if (!first.equals(second)) {
            throw new CommandException("the two passwords differ; nothing changed");
        }
        char[] pw = first.toCharArray();
        String weak = Credentials.weakness(user, pw);
        if (weak != null) {
            Arrays.fill(pw, '\0');
            throw new CommandException(weak + "; nothing changed");
        }
        return pw;
    }
}
