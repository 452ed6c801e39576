package org.switchboard.voicemail.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.voicemail.internal.VoicemailService;
import org.switchboard.voicemail.internal.VoicemailShell;

@Service
@Command(scope = "vm", name = "play", description = "Dials a number on a line and plays a message when it answers (marks it heard)")
public class VmPlay implements Action {

    @Reference
    VoicemailService vm;

    @Argument(index = 0, name = "ID", required = true, description = "Message id (vm:list)")
    String id;

    @Argument(index = 1, name = "LINE", required = true, description = "Line to dial on (line:list)")
    String line;

    @Argument(index = 2, name = "NUMBER", required = true, description = "Number to dial")
    String number;

    @Override
    public Object execute() throws Exception {
        VmCommands.print(() -> VoicemailShell.play(vm, id, line, number));
        return null;
    }
}
