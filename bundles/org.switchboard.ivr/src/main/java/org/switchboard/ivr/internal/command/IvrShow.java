package org.switchboard.ivr.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.ivr.internal.IvrService;
import org.switchboard.ivr.internal.IvrShell;

@Service
@Command(scope = "ivr", name = "show", description = "Shows the tree of a menu")
public class IvrShow implements Action {

    @Reference
    IvrService ivr;

    @Argument(index = 0, name = "MENU", required = true, description = "Menu name (ivr:list)")
    String menu;

    @Override
    public Object execute() throws Exception {
        IvrCommands.print(() -> IvrShell.show(ivr, menu));
        return null;
    }
}
