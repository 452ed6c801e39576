package org.switchboard.security.internal.command;

import java.io.IOException;
import java.util.Arrays;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.security.internal.Credentials;

/** Asks for a new password twice, without echo, and checks it. */
final class Passwords {

    private Passwords() {
    }

    static char[] ask(Session session, String user) throws CommandException, IOException {
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
