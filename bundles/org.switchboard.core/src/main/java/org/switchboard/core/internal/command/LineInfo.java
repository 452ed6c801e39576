package org.switchboard.core.internal.command;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;
import org.switchboard.core.internal.CallEngine;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineStatus;

@Service
@Command(scope = "line", name = "info", description = "Shows one line in detail: health, what its driver reports, and its calls")
public class LineInfo implements Action {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Reference
    CallEngine engine;

    @Reference
    CallControl calls;

    @Argument(index = 0, name = "LINE", required = true, description = "Line id (see line:list)")
    @Completion(LineIdCompleter.class)
    String id;

    @Override
    public Object execute() throws CommandException {
        Line line = engine.lines().get(id);
        if (line == null) {
            throw new CommandException("no line '" + id + "'; lines: " + String.join(", ", new java.util.TreeSet<>(engine.lines().keySet())));
        }
        LineStatus s = line.status();
        System.out.println("Line:       " + line.id() + " (" + line.kind().name().toLowerCase() + ", card " + line.cardId() + ")");
        System.out.println("Number:     " + (line.number().isEmpty() ? "-" : line.number()));
        System.out.println("Health:     " + s.health() + (s.reason().isEmpty() ? "" : ": " + s.reason()) + " since " + WHEN.format(s.since()));
        if (s.signal().isPresent()) {
            System.out.println("Signal:     " + s.signal().getAsInt() + "%");
        }
        System.out.println("Last error: " + (s.lastError().isEmpty() ? "none" : s.lastError()));
        for (Map.Entry<String, String> e : line.details().entrySet()) {
            System.out.printf("%-11s %s%n", e.getKey() + ":", e.getValue());
        }
        Instant now = Instant.now();
        boolean any = false;
        for (Call call : calls.calls()) {
            for (Channel ch : call.channels()) {
                if (ch.lineId().equals(id)) {
                    any = true;
                    System.out.println("Call:       " + call.id() + " leg " + ch.id() + " " + ch.state() + " from "
                            + ch.callerId().display() + " to " + ch.calledNumber() + ", " + Durations.since(ch.createdAt(), now)
                            + ", " + ch.framesIn() + " frames in / " + ch.framesOut() + " out");
                }
            }
        }
        if (!any) {
            System.out.println("Call:       none");
        }
        return null;
    }
}
