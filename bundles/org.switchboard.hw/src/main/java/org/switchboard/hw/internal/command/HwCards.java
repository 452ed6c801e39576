package org.switchboard.hw.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.hw.api.CardSpec;
import org.switchboard.hw.internal.HardwareProfiles;

@Service
@Command(scope = "hw", name = "cards", description = "Lists the cards of the hardware profile, their driver and how they are doing")
public class HwCards implements Action {

    @Reference
    HardwareProfiles profiles;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("CARD");
        table.column("DRIVER");
        table.column("UNITS");
        table.column("STATUS").maxSize(70);
        table.emptyTableText("no hardware profile applied; see hw:profile");
        profiles.current().ifPresent(p -> {
            for (CardSpec c : p.cards()) {
                String units = !c.lines().isEmpty() ? c.lines().size() + " lines"
                        : !c.spans().isEmpty() ? c.spans().size() + " spans" : "-";
                String status = profiles.driver(c.driver()).map(d -> d.cardStatus(c.id()))
                        .orElse("driver not installed: feature:install " + profiles.featureOf(c.driver()));
                table.addRow().addContent(c.id(), c.driver(), units, status);
            }
        });
        table.print(System.out);
        return null;
    }
}
