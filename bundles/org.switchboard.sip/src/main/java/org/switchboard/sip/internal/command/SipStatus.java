package org.switchboard.sip.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.sip.internal.SipServer;

@Service
@Command(scope = "sip", name = "status", description = "Shows whether SIP runs, where, and its counters")
public class SipStatus implements Action {

    @Reference
    SipServer server;

    @Override
    public Object execute() {
        System.out.println(SipShellSupport.shell(server).status());
        return null;
    }
}
