package org.switchboard.voicemail.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.voicemail.internal.VoicemailService;
import org.switchboard.voicemail.internal.VoicemailShell;

@Service
@Command(scope = "vm", name = "delete", description = "Deletes a message and its audio")
public class VmDelete implements Action {

    @Reference
    VoicemailService vm;

    @Argument(index = 0, name = "ID", required = true, description = "Message id (vm:list)")
    String id;

    @Override
    public Object execute() throws Exception {
        VmCommands.print(() -> VoicemailShell.delete(vm, id));
        return null;
    }
}
