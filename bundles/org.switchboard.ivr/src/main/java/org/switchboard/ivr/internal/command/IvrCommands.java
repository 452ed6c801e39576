package org.switchboard.ivr.internal.command;

import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

/** Shared by the ivr: commands: table printing and turning bad input into a message. */
final class IvrCommands {

    @FunctionalInterface
    interface Lines {
        List<String> get();
    }

    private IvrCommands() {
    }

    static void print(Lines lines) throws CommandException {
        try {
            lines.get().forEach(System.out::println);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    static void table(List<String[]> rows, String empty, String... columns) {
        ShellTable t = new ShellTable();
        for (String c : columns) {
            t.column(c).maxSize(80);
        }
        t.emptyTableText(empty);
        for (String[] r : rows) {
            t.addRow().addContent((Object[]) r);
        }
        t.print(System.out);
    }
}
