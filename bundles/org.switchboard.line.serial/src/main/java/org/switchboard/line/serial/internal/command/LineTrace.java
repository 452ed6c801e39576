package org.switchboard.line.serial.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.line.serial.internal.SerialLineDriver;
import org.switchboard.line.serial.internal.at.AtEngine;

@Service
@Command(scope = "line", name = "trace", description = "Logs the AT dialogue of a modem or GSM line (logger org.switchboard.line.serial.trace; read it with log:tail)")
public class LineTrace implements Action {

    @Reference
    SerialLineDriver driver;

    @Argument(index = 0, name = "LINE", required = true, description = "Serial line id")
    @Completion(SerialLineCompleter.class)
    String line;

    @Argument(index = 1, name = "on|off", required = true, description = "on or off")
    @Completion(value = StringsCompleter.class, values = {"on", "off"})
    String onOff;

    @Override
    public Object execute() throws Exception {
        if (!onOff.equals("on") && !onOff.equals("off")) {
            throw new CommandException("'" + onOff + "': allowed: on, off");
        }
        SerialLines.find(driver, line).trace(onOff.equals("on"));
        System.out.println("AT trace of " + line + " " + onOff + (onOff.equals("on")
                ? "; the dialogue goes to logger " + AtEngine.TRACE.getName() + " (log:tail); voice data is not logged, only its DLE events" : ""));
        return null;
    }
}
