package org.switchboard.voicemail.internal.command;

import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

/** Shared by the vm: commands: tables, and turning failures into a message without a stack trace. */
final class VmCommands {

    @FunctionalInterface
    interface Work {
        String run() throws Exception;
    }

    private VmCommands() {
    }

    static void print(Work w) throws CommandException {
        try {
            System.out.println(w.run());
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        } catch (Exception e) {
            throw new CommandException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static void table(List<String[]> rows, String empty, String... columns) {
        ShellTable t = new ShellTable();
        for (String c : columns) {
            t.column(c).maxSize(60);
        }
        t.emptyTableText(empty);
        rows.forEach(r -> t.addRow().addContent((Object[]) r));
        t.print(System.out);
    }
}
