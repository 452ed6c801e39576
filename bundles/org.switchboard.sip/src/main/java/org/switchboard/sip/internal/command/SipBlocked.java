package org.switchboard.sip.internal.command;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.sip.internal.SipServer;

@Service
@Command(scope = "sip", name = "blocked", description = "Lists the source addresses locked out after failed authentications")
public class SipBlocked implements Action {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    @Reference
    SipServer server;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("ADDRESS");
        t.column("UNTIL");
        t.column("FAILURES").alignRight();
        t.column("LAST USER TRIED");
        t.emptyTableText("no blocked sources");
        SipShellSupport.shell(server).blocked().forEach(b -> t.addRow().addContent(b.address().getHostAddress(),
                WHEN.format(b.until()), b.failures(), b.lastUser()));
        t.print(System.out);
        return null;
    }
}
