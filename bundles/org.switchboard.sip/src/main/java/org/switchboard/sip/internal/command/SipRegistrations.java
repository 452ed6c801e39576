package org.switchboard.sip.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.sip.internal.SipServer;
import org.switchboard.sip.internal.SipShell;

@Service
@Command(scope = "sip", name = "registrations", description = "Lists the registered phones: extension, contact, where the REGISTER came from, expiry")
public class SipRegistrations implements Action {

    @Reference
    SipServer server;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("EXTENSION");
        t.column("CONTACT");
        t.column("FROM");
        t.column("TRANSPORT");
        t.column("EXPIRES IN").alignRight();
        t.column("NAT");
        t.column("USER AGENT").maxSize(30);
        t.emptyTableText("no registered phones");
        for (SipShell.RegistrationRow r : SipShellSupport.shell(server).registrations()) {
            t.addRow().addContent(r.extension(), r.contact(), r.source(), r.transport(), r.expiresIn() + " s",
                    r.nat() ? "yes" : "no", r.userAgent());
        }
        t.print(System.out);
        return null;
    }
}
