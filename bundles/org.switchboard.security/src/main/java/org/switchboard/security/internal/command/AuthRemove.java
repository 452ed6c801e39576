package org.switchboard.security.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.security.internal.Role;
import org.switchboard.security.internal.ShellRealm;
import org.switchboard.security.internal.UserStore;

@Service
@Command(scope = "auth", name = "remove", description = "Removes a shell user (admin only); the last admin cannot be removed")
public class AuthRemove implements Action {

    @Reference
    ShellRealm realm;

    @Argument(index = 0, name = "USER", required = true, description = "User name (see auth:users)")
    String user;

    @Override
    public Object execute() throws Exception {
        UserStore.User u = realm.store().user(user).orElseThrow(() -> new CommandException("no user '" + user + "'"));
        long admins = realm.store().users().values().stream().filter(x -> x.role() == Role.ADMIN).count();
        if (u.role() == Role.ADMIN && admins == 1) {
            throw new CommandException("'" + user + "' is the last admin; add another admin first");
        }
        realm.store().remove(user);
        System.out.println("User '" + user + "' removed; sessions already open stay open until they end");
        return null;
    }
}
