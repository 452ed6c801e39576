package org.switchboard.ivr.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.ivr.internal.IvrService;
import org.switchboard.ivr.internal.IvrShell;

@Service
@Command(scope = "ivr", name = "validate", description = "Checks a menu file as the IVR would (every problem with line and column), applying nothing")
public class IvrValidate implements Action {

    @Reference
    IvrService ivr;

    @Argument(index = 0, name = "FILE", required = true, description = "The menu file, e.g. etc/ivr/main.yaml")
    String file;

    @Override
    public Object execute() throws Exception {
        IvrCommands.print(() -> IvrShell.validate(ivr, file));
        return null;
    }
}
