package org.switchboard.router.internal.command;

import java.util.Map;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.router.internal.RouterShell;

@Service
@Command(scope = "router", name = "routes", description = "Lists the inbound routes in the order they are tried, the schedules, and a refused change of the routes file")
public class RouterRoutes implements Action {

    @Reference
    org.switchboard.router.internal.Router router;

    @Override
    public Object execute() {
        RouterShell.View v = RouterShell.view(router);
        System.out.println("Routes file: " + v.file() + (v.loaded() ? "" : "  (NOT LOADED: every outside call is rejected)"));
        System.out.println("Time zone:   " + v.zone());
        ShellTable t = new ShellTable();
        t.column("#").alignRight();
        t.column("ROUTE");
        t.column("MATCHES").maxSize(70);
        t.column("TO");
        t.emptyTableText("no routes");
        int i = 1;
        for (String[] r : v.routes()) {
            t.addRow().addContent(i++, r[0], r[1], r[2]);
        }
        t.print(System.out);
        System.out.println("Fallback:    " + v.fallback() + "  (no route matches, or nothing serves a route's destination)");
        for (Map.Entry<String, String> s : v.schedules().entrySet()) {
            System.out.println("Schedule " + s.getKey() + ": " + s.getValue());
        }
        System.out.println("Holidays:    " + v.holidays() + "; working weekends: " + v.workdays());
        System.out.println("Served:      " + String.join(", ", new TreeSet<>(v.served())) + ", reject");
        System.out.println("Calls:       " + v.routed() + " routed, " + v.fellBack() + " to the fallback for want of a destination");
        if (!v.refused().isEmpty()) {
            System.out.println("Last change REFUSED (the routes above keep serving):");
            v.refused().forEach(p -> System.out.println("  " + p));
        }
        return null;
    }
}
