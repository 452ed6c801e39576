package org.switchboard.ivr.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.ivr.internal.IvrService;
import org.switchboard.ivr.internal.IvrShell;

@Service
@Command(scope = "ivr", name = "calls", description = "Who is in which menu and node right now")
public class IvrCalls implements Action {

    @Reference
    IvrService ivr;

    @Override
    public Object execute() throws Exception {
        IvrCommands.table(IvrShell.calls(ivr), "no caller in a menu", "LEG", "CALLER", "MENU", "NODE", "LANGUAGE", "TIME");
        return null;
    }
}
