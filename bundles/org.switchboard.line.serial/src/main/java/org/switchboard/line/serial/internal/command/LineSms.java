package org.switchboard.line.serial.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.line.serial.api.SmsSender.SmsReceipt;
import org.switchboard.line.serial.internal.SerialLineDriver;

@Service
@Command(scope = "line", name = "sms", description = "Sends a text message through a GSM line (or any registered one)")
public class LineSms implements Action {

    @Reference
    SerialLineDriver driver;

    @Argument(index = 0, name = "LINE", required = true, description = "GSM line id, or 'any'")
    @Completion(SerialLineCompleter.class)
    String line;

    @Argument(index = 1, name = "NUMBER", required = true, description = "Recipient")
    String number;

    @Argument(index = 2, name = "TEXT", required = true, description = "The message (quote it); 160 ASCII or 70 other characters")
    String text;

    @Override
    public Object execute() throws Exception {
        SmsReceipt r = SerialLines.await(driver.send(line.equals("any") ? "" : line, number, text), 90);
        System.out.println("Sent on " + r.lineId() + " (network reference " + r.reference() + ")");
        return null;
    }
}
