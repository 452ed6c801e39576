package org.switchboard.line.serial.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.line.serial.internal.SerialLineDriver;

/** Completes the ids of the serial (modem and GSM) lines. */
@Service
public class SerialLineCompleter implements Completer {

    @Reference
    SerialLineDriver driver;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(driver.lineIds()).complete(session, commandLine, candidates);
    }
}
