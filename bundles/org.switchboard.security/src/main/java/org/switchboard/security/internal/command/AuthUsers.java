package org.switchboard.security.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.security.internal.ShellRealm;
import org.switchboard.security.internal.UserStore;

@Service
@Command(scope = "auth", name = "users", description = "Lists the shell users and their roles (admin only)")
public class AuthUsers implements Action {

    @Reference
    ShellRealm realm;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("USER");
        t.column("ROLE");
        for (UserStore.User u : realm.store().users().values()) {
            t.addRow().addContent(u.name(), u.role().label());
        }
        t.print(System.out);
        return null;
    }
}
