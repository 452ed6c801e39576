package org.switchboard.line.serial.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.switchboard.line.serial.internal.SerialLineDriver;
import org.switchboard.line.serial.internal.at.AtResponse;

@Service
@Command(scope = "line", name = "at", description = "Sends one raw AT command to a modem or GSM line and prints the answer (refused while the line carries a call)")
public class LineAt implements Action {

    @Reference
    SerialLineDriver driver;

    @Argument(index = 0, name = "LINE", required = true, description = "Serial line id")
    @Completion(SerialLineCompleter.class)
    String line;

    @Argument(index = 1, name = "COMMAND", required = true, description = "The command, e.g. \"AT+CSQ\" (quote it)")
    String command;

    @Override
    public Object execute() throws Exception {
        String c = command.trim();
        if (!c.toUpperCase().startsWith("AT") || c.length() > 200 || c.chars().anyMatch(ch -> ch < 0x20 || ch > 0x7E)) {
            throw new CommandException("'" + command + "' is not an AT command; allowed: printable text starting with AT, at most 200 characters");
        }
        String u = c.toUpperCase();
        if (u.startsWith("ATD") || u.startsWith("ATA") || u.matches("AT\\+VLS=[1-9].*")) {
            throw new CommandException("calls are not placed or answered with line:at (the box would not know of them); "
                    + "use line:dial " + line + " NUMBER, and call:answer for a ringing call");
        }
        AtResponse r = SerialLines.await(SerialLines.find(driver, line).raw(c), 15);
        for (String l : r.lines()) {
            System.out.println(l);
        }
        System.out.println(r.result());
        return null;
    }
}
