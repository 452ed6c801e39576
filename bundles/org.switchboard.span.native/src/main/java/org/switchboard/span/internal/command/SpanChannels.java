package org.switchboard.span.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.span.internal.SpanDriver;

@Service
@Command(scope = "span", name = "channels", description = "Shows every B-channel of a span: free or busy, and the call on it")
public class SpanChannels implements Action {

    @Reference
    SpanDriver driver;

    @Argument(index = 0, name = "SPAN", required = true, description = "Span id (see span:list)")
    @Completion(SpanCompleter.class)
    String span;

    @Override
    public Object execute() throws CommandException {
        List<List<String>> rows;
        List<String> history;
        try {
            rows = driver.channels(span);
            history = driver.history(span);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        ShellTable table = new ShellTable();
        table.column("CH").alignRight();
        table.column("STATE");
        table.column("CALL").maxSize(100);
        for (List<String> row : rows) {
            table.addRow().addContent(row.toArray());
        }
        table.print(System.out);
        System.out.println("Last events:");
        history.forEach(h -> System.out.println("  " + h));
        return null;
    }
}
