package org.switchboard.voicemail.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.voicemail.internal.VoicemailService;
import org.switchboard.voicemail.internal.VoicemailShell;

@Service
@Command(scope = "vm", name = "export", description = "Copies a message as a WAV file into a directory (marks it heard)")
public class VmExport implements Action {

    @Reference
    VoicemailService vm;

    @Argument(index = 0, name = "ID", required = true, description = "Message id (vm:list)")
    String id;

    @Argument(index = 1, name = "DIR", required = true, description = "Target directory")
    String dir;

    @Override
    public Object execute() throws Exception {
        VmCommands.print(() -> VoicemailShell.export(vm, id, dir));
        return null;
    }
}
