package org.switchboard.ivr.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.ivr.internal.IvrService;
import org.switchboard.ivr.internal.IvrShell;

@Service
@Command(scope = "ivr", name = "list", description = "Lists the IVR menus and whether each serves or was refused")
public class IvrList implements Action {

    @Reference
    IvrService ivr;

    @Override
    public Object execute() throws Exception {
        IvrCommands.table(IvrShell.list(ivr), "no menus in " + ivr.menusDir(), "MENU", "NODES", "LANGUAGES", "LOADED", "STATE");
        return null;
    }
}
