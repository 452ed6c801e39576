package org.switchboard.line.serial.internal.command;

import java.io.IOException;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.switchboard.core.api.Dtmf;
import org.switchboard.line.serial.internal.SerialLineDriver;
import org.switchboard.line.serial.internal.sim.PtyPair;
import org.switchboard.line.serial.internal.sim.SimulatedDevice;
import org.switchboard.line.serial.internal.sim.SimulatedGsm;
import org.switchboard.line.serial.internal.sim.SimulatedModem;
import org.switchboard.shell.TrailingOptions;

@Service
@Command(scope = "line", name = "sim", description = "Plays the far end of a simulated modem or GSM line (port: sim): ring, keys, hangup, unplug, plug")
public class LineSimulate implements Action {

    @Reference
    SerialLineDriver driver;

    @Argument(index = 0, name = "LINE", required = true, description = "A serial line whose port is 'sim'")
    @Completion(SerialLineCompleter.class)
    String line;

    @Argument(index = 1, name = "ACTION", required = true, description = "ring | keys | hangup | stop-ringing | unplug | plug")
    @Completion(value = StringsCompleter.class, values = {"ring", "keys", "hangup", "stop-ringing", "unplug", "plug"})
    String action;

    @Option(name = "--from", description = "ring: the caller's number")
    String from;

    @Option(name = "--withheld", description = "ring: the caller withholds the number")
    boolean withheld;

    @Option(name = "--name", description = "ring: the caller's name (modems)")
    String name = "";

    @Option(name = "--keys", description = "keys: the keys the caller presses, e.g. 12#")
    String keys = "";

    @Option(name = "--how", description = "hangup on a modem line: loop (loop current drop, default), busy, dialtone")
    String how = "loop";

    @Argument(index = 2, name = "OPTIONS", multiValued = true, description = "The options may also follow the arguments")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        SimulatedDevice d = SerialLines.simulated(driver, line);
        switch (action) {
            case "ring" -> {
                if (withheld == (from != null)) {
                    throw new CommandException(withheld ? "--withheld and --from exclude each other" : "say who calls: --from NUMBER, or --withheld");
                }
                if (from != null && !from.matches("\\+?[0-9]{1,32}")) {
                    throw new CommandException("--from '" + from + "' is not a phone number; allowed: digits, optionally with a leading +");
                }
                if (d instanceof SimulatedModem m) {
                    m.ring(withheld ? "P" : from, name, false);
                } else {
                    ((SimulatedGsm) d).ring(withheld ? null : from);
                }
            }
            case "keys" -> {
                try {
                    Dtmf.requireDigits(keys);
                } catch (IllegalArgumentException e) {
                    throw new CommandException("--keys: " + e.getMessage());
                }
                if (keys.isEmpty()) {
                    throw new CommandException("say which keys: --keys 12#");
                }
                if (d instanceof SimulatedModem m) {
                    m.keys(keys);
                } else {
                    ((SimulatedGsm) d).keys(keys);
                }
            }
            case "hangup" -> {
                if (d instanceof SimulatedModem m) {
                    char c = switch (how) {
                        case "loop" -> 'l';
                        case "busy" -> 'b';
                        case "dialtone" -> 'd';
                        default -> throw new CommandException("--how '" + how + "': allowed: loop, busy, dialtone");
                    };
                    m.hangup(c);
                } else {
                    ((SimulatedGsm) d).hangup();
                }
            }
            case "stop-ringing" -> {
                if (d instanceof SimulatedModem m) {
                    m.stopRinging();
                } else {
                    ((SimulatedGsm) d).hangup();
                }
            }
            case "unplug" -> driver.ptys(line).forEach(PtyPair::stop);
            case "plug" -> {
                for (PtyPair p : driver.ptys(line)) {
                    try {
                        p.start();
                    } catch (IOException e) {
                        throw new CommandException(e.getMessage());
                    }
                }
            }
            default -> throw new CommandException("'" + action + "': allowed: ring, keys, hangup, stop-ringing, unplug, plug");
        }
        System.out.println("Simulated far end of " + line + ": " + action + " done. Watch it with line:info " + line + " and call:list");
        return null;
    }
}
