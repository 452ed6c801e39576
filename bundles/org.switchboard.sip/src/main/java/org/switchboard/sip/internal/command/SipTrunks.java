package org.switchboard.sip.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.sip.internal.SipServer;
import org.switchboard.sip.internal.SipShell;

@Service
@Command(scope = "sip", name = "trunks", description = "Lists the SIP trunks: carrier, registration, status with the last response, DIDs")
public class SipTrunks implements Action {

    @Reference
    SipServer server;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("NAME");
        t.column("CARRIER");
        t.column("REGISTER AS");
        t.column("STATUS").maxSize(50);
        t.column("LAST RESPONSE").maxSize(40);
        t.column("EXPIRES IN").alignRight();
        t.column("DIDS").maxSize(40);
        t.column("DIAL OUT");
        t.emptyTableText("no SIP trunks; one file per trunk: etc/org.switchboard.sip.trunk-NAME.cfg (see docs/sip.md)");
        for (SipShell.TrunkRow r : SipShellSupport.shell(server).trunks()) {
            t.addRow().addContent(r.name(), r.carrier(), r.register(), r.status(), r.lastResponse(), r.expiresIn(), r.dids(),
                    r.outbound());
        }
        t.print(System.out);
        return null;
    }
}
