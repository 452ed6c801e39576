package org.switchboard.sip.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.sip.internal.SipServer;

@Service
@Command(scope = "sip", name = "unblock", description = "Lifts the lockout of a source address")
public class SipUnblock implements Action {

    @Reference
    SipServer server;

    @Argument(index = 0, name = "ADDRESS", required = true, description = "IP address (see sip:blocked)")
    String address;

    @Override
    public Object execute() throws Exception {
        boolean was = SipShellSupport.run(() -> SipShellSupport.shell(server).unblock(address));
        System.out.println(was ? address + " unblocked" : address + " was not blocked");
        return null;
    }
}
