package org.switchboard.store.internal.command;

import java.sql.SQLException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.store.internal.StoreShell;

@Service
@Command(scope = "store", name = "info", description = "Shows the database: where it is, its state, its size, the schema changelogs applied and the last backup")
public class StoreInfo implements Action {

    @Reference
    StoreShell store;

    @Override
    public Object execute() throws SQLException {
        StoreShell.Info info = store.info();
        System.out.println("Database:    " + info.directory());
        System.out.println("State:       " + info.state());
        if (!info.problem().isEmpty()) {
            System.out.println("Problem:     " + info.problem());
        }
        if (!info.version().isEmpty()) {
            System.out.println("Engine:      " + info.version() + ", NATIVE authentication");
            System.out.println("Size:        " + StoreShell.human(info.bytes()));
            System.out.println("Last backup: " + info.lastBackup());
        }
        if (!info.changelogs().isEmpty()) {
            ShellTable t = new ShellTable();
            t.column("CHANGELOG");
            t.column("CHANGESETS").alignRight();
            t.column("LAST APPLIED");
            info.changelogs().forEach(c -> t.addRow().addContent(c.changelog(), c.changesets(), c.last()));
            System.out.println();
            t.print(System.out);
        }
        return null;
    }
}
