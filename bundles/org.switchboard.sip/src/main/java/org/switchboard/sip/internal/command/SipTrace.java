package org.switchboard.sip.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.sip.internal.SipServer;

@Service
@Command(scope = "sip", name = "trace", description = "Logs the whole SIP messages of one extension, trunk or peer address (logger org.switchboard.sip.trace)")
public class SipTrace implements Action {

    @Reference
    SipServer server;

    @Argument(index = 0, name = "on|off", required = true, description = "on or off")
    @Completion(value = StringsCompleter.class, values = {"on", "off"})
    String onOff;

    @Argument(index = 1, name = "WHO", required = true, description = "Extension number, trunk name, or a peer's IP address")
    String who;

    @Override
    public Object execute() throws Exception {
        System.out.println(SipShellSupport.run(() -> SipShellSupport.shell(server).trace(onOff, who)));
        return null;
    }
}
