package org.switchboard.store.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.switchboard.store.internal.StoreException;
import org.switchboard.store.internal.StoreShell;

@Service
@Command(scope = "store", name = "backup", description = "Backs the database up online, into a new time-stamped directory under DIR; calls keep running")
public class StoreBackup implements Action {

    @Reference
    StoreShell store;

    @Argument(index = 0, name = "DIR", required = true, description = "Directory to back up into (created if missing); relative paths are under the appliance's home")
    @Completion(FileCompleter.class)
    String dir;

    @Override
    public Object execute() throws CommandException {
        try {
            System.out.println(store.backup(dir));
        } catch (StoreException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }
}
