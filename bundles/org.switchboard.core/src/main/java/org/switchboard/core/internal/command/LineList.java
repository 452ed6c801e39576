package org.switchboard.core.internal.command;

import java.util.Map;
import java.util.TreeMap;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;
import org.switchboard.core.internal.CallEngine;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineStatus;

@Service
@Command(scope = "line", name = "list", description = "Lists every line of the box, whatever its driver, with its state and health")
public class LineList implements Action {

    @Reference
    CallEngine engine;

    @Reference
    CallControl calls;

    @Override
    public Object execute() {
        Map<String, String> busy = new TreeMap<>();
        for (Call call : calls.calls()) {
            for (Channel ch : call.channels()) {
                if (ch.state() != ChannelState.HUNG_UP) {
                    busy.merge(ch.lineId(), ch.state() == ChannelState.RINGING ? "ringing" : "in call", (a, b) -> "in call");
                }
            }
        }
        ShellTable table = new ShellTable();
        table.column("LINE");
        table.column("CARD");
        table.column("KIND");
        table.column("NUMBER");
        table.column("STATE");
        table.column("HEALTH");
        table.column("SIGNAL").alignRight();
        table.column("REASON / LAST ERROR").maxSize(60);
        table.emptyTableText("no lines: is a hardware profile applied (hw:profile) and its driver installed (hw:cards)?");
        for (Line line : new TreeMap<>(engine.lines()).values()) {
            LineStatus s = line.status();
            String note = !s.reason().isEmpty() ? s.reason() : s.lastError();
            table.addRow().addContent(line.id(), line.cardId(), line.kind().name().toLowerCase(), line.number(),
                    busy.getOrDefault(line.id(), "idle"), s.health(),
                    s.signal().isPresent() ? s.signal().getAsInt() + "%" : "", note);
        }
        table.print(System.out);
        return null;
    }
}
