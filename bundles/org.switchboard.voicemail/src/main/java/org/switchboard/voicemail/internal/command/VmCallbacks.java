package org.switchboard.voicemail.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.voicemail.internal.VoicemailService;
import org.switchboard.voicemail.internal.VoicemailShell;

@Service
@Command(scope = "vm", name = "callbacks", description = "Lists the callers who asked to be called back")
public class VmCallbacks implements Action {

    @Reference
    VoicemailService vm;

    @Override
    public Object execute() throws Exception {
        VmCommands.table(VoicemailShell.callbacks(vm), "no callback requests", "ID", "QUEUE", "NUMBER", "REQUESTED", "LINE", "STATE");
        return null;
    }
}
