package org.switchboard.core.internal.command;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;

@Service
@Command(scope = "call", name = "list", description = "Lists the calls that are up, one row per leg")
public class CallList implements Action {

    @Reference
    CallControl calls;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("CALL");
        table.column("LEG");
        table.column("LINE");
        table.column("DIR");
        table.column("STATE");
        table.column("FROM");
        table.column("TO");
        table.column("STARTED");
        table.column("AGE").alignRight();
        table.column("PEER");
        table.emptyTableText("no calls");
        Instant now = Instant.now();
        int count = 0;
        for (Call call : calls.calls()) {
            count++;
            for (Channel ch : call.channels()) {
                table.addRow().addContent(call.id(), ch.id(), ch.lineId(), ch.direction() == org.switchboard.core.api.Direction.INBOUND ? "in" : "out",
                        ch.state(), ch.callerId().display(), ch.calledNumber(), Durations.clock(ch.createdAt()),
                        Durations.since(ch.createdAt(), ch.endedAt().orElse(now)), ch.bridgedTo().orElse(""));
            }
        }
        table.print(System.out);
        if (count > 0) {
            System.out.println(count + (count == 1 ? " call" : " calls"));
        }
        return null;
    }
}
