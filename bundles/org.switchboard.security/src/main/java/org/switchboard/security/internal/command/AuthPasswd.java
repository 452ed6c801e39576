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
import org.switchboard.shell.TrailingOptions;
import org.switchboard.security.internal.ShellRealm;
import org.switchboard.security.internal.UserStore;

@Service
@Command(scope = "auth", name = "passwd", description = "Sets a shell user's password (admin only)")
public class AuthPasswd implements Action {

    @Reference
    ShellRealm realm;

    @Reference
    Session session;

    @Argument(index = 0, name = "USER", required = true, description = "User name (see auth:users)")
    String user;

    @Option(name = "--generate", description = "Generate a strong password and print it once, instead of asking")
    boolean generate;

    @Argument(index = 1, name = "OPTIONS", multiValued = true, description = "The options may also follow USER")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        UserStore.User u = realm.store().user(user).orElseThrow(() -> new CommandException(
                "no user '" + user + "'; users: " + String.join(", ", realm.store().users().keySet())));
        String shown = Passwords.set(realm, session, user, u.role(), generate);
        if (user.equals("admin")) {
            realm.forgetInitialPassword();
        }
        System.out.println("Password of '" + user + "' changed" + shown);
        return null;
    }
}
