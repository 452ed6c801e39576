package org.switchboard.span.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.span.internal.SpanDriver;

@Service
@Command(scope = "span", name = "list", description = "Lists the E1/T1 spans with their status, alarms, signalling and busy/free channels")
public class SpanList implements Action {

    @Reference
    SpanDriver driver;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("SPAN");
        table.column("CARD");
        table.column("TYPE");
        table.column("STATUS").maxSize(60);
        table.column("ALARMS");
        table.column("D-CHANNEL");
        table.column("BUSY/FREE").alignRight();
        table.column("SINCE");
        table.emptyTableText("no spans: the hardware profile has no sim-span or dahdi-span card (hw:profile)");
        for (List<String> row : driver.list()) {
            table.addRow().addContent(row.toArray());
        }
        table.print(System.out);
        return null;
    }
}
