package org.switchboard.security.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.switchboard.security.internal.Credentials;
import org.switchboard.shell.TrailingOptions;
import org.switchboard.security.internal.Role;
import org.switchboard.security.internal.ShellRealm;

@Service
@Command(scope = "auth", name = "add", description = "Adds a shell user (admin only); asks for the password, or generates one with --generate")
public class AuthAdd implements Action {

    @Reference
    ShellRealm realm;

    @Reference
    Session session;

    @Argument(index = 0, name = "USER", required = true, description = "User name: a-z, 0-9, . _ -, 2 to 32 characters, starting with a letter")
    String user;

    @Option(name = "--role", description = "admin or technician (required)")
    @Completion(value = StringsCompleter.class, values = {"admin", "technician"})
    String role;

    @Option(name = "--generate", description = "Generate a strong password and print it once, instead of asking")
    boolean generate;

    @Argument(index = 1, name = "OPTIONS", multiValued = true, description = "The options may also follow USER")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        if (role == null) {
            throw new CommandException("say which role: --role admin or --role technician");
        }
        Role r;
        try {
            r = Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw new CommandException("--role: " + e.getMessage());
        }
        String bad = Credentials.badName(user);
        if (bad != null) {
            throw new CommandException(bad);
        }
        if (realm.store().user(user).isPresent()) {
            throw new CommandException("user '" + user + "' exists; change its password with auth:passwd " + user);
        }
        String shown = Passwords.set(realm, session, user, r, generate);
        System.out.println("User '" + user + "' added as " + r.label() + shown);
        return null;
    }
}
