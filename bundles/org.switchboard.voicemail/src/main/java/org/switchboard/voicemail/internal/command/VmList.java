package org.switchboard.voicemail.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.voicemail.internal.VoicemailService;
import org.switchboard.voicemail.internal.VoicemailShell;

@Service
@Command(scope = "vm", name = "list", description = "Lists voice messages, newest first (NEW = not heard yet)")
public class VmList implements Action {

    @Reference
    VoicemailService vm;

    @Argument(index = 0, name = "BOX", description = "Only this box")
    String box;

    @Override
    public Object execute() throws Exception {
        VmCommands.table(VoicemailShell.list(vm, box), "no messages", "ID", "BOX", "FROM", "RECEIVED", "LENGTH", "ENDED BY", "HEARD");
        System.out.println("Recording now: " + VoicemailShell.recordingNow(vm));
        return null;
    }
}
