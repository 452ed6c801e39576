package org.switchboard.span.internal.command;

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
import org.switchboard.shell.TrailingOptions;
import org.switchboard.span.internal.SpanDriver;

@Service
@Command(scope = "span", name = "sim", description = "Plays the carrier of a simulated span: call the box, answer, hang up, speak a tone or keys, raise an alarm, show what it hears")
public class SpanSim implements Action {

    @Reference
    SpanDriver driver;

    @Argument(index = 0, name = "SPAN", required = true, description = "A simulated span (see span:list)")
    @Completion(SpanCompleter.class)
    String span;

    @Argument(index = 1, name = "ACTION", required = true,
            description = "call | answer CH | hangup CH [CAUSE] | tone CH HZ | keys CH DIGITS | alarm los|lof|ais|rai|clear | mangle unknown-ie|truncated | status")
    @Completion(value = StringsCompleter.class, values = {"call", "answer", "hangup", "tone", "keys", "alarm", "mangle", "status"})
    String action;

    @Argument(index = 2, name = "ARGS", multiValued = true, description = "The action's arguments (and the options)")
    List<String> args;

    @Option(name = "--from", description = "call: the caller's number")
    String from = "";

    @Option(name = "--to", description = "call: the called number (default the span's number)")
    String to = "";

    @Option(name = "--withheld", description = "call: the caller withholds the number")
    boolean withheld;

    @Override
    public Object execute() throws CommandException {
        if ("call".equals(action)) {
            TrailingOptions.apply(this, args);      // call takes only options; the other actions take positions
        }
        List<String> a = args == null ? List.of() : args;
        try {
            switch (action) {
                case "call" -> {
                    if (withheld == !from.isEmpty()) {
                        throw new CommandException(withheld ? "--withheld and --from exclude each other" : "say who calls: --from NUMBER, or --withheld");
                    }
                    if (!from.isEmpty() && !from.matches("[0-9]{1,32}")) {
                        throw new CommandException("--from '" + from + "' is not allowed; allowed: 1-32 digits");
                    }
                    if (!to.isEmpty() && !to.matches("[0-9]{1,32}")) {
                        throw new CommandException("--to '" + to + "' is not allowed; allowed: 1-32 digits");
                    }
                    int ts = driver.simCall(span, from, to, withheld);
                    System.out.println("The carrier calls the box on channel " + ts + " of " + span + ". Watch it with span:channels " + span);
                }
                case "answer" -> driver.simAnswer(span, arg(a, 0, "CH"));
                case "hangup" -> driver.simHangup(span, arg(a, 0, "CH"), a.size() > 1 ? number(a.get(1), "CAUSE") : 16);
                case "tone" -> driver.simTone(span, arg(a, 0, "CH"), number(arg(a, 1, "HZ"), "HZ"));
                case "keys" -> driver.simKeys(span, arg(a, 0, "CH"), arg(a, 1, "DIGITS"));
                case "alarm" -> driver.simAlarm(span, arg(a, 0, "los|lof|ais|rai|clear"));
                case "mangle" -> driver.simMangle(span, arg(a, 0, "unknown-ie|truncated"));
                case "status" -> driver.simStatus(span).forEach(System.out::println);
                default -> throw new CommandException("'" + action + "' is not allowed; allowed: call, answer, hangup, tone, keys, alarm, mangle, status");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }

    private String arg(List<String> a, int i, String what) throws CommandException {
        if (a.size() <= i) {
            throw new CommandException("span:sim " + action + " needs " + what);
        }
        return a.get(i);
    }

    private int number(String v, String what) throws CommandException {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CommandException(what + " '" + v + "' is not a whole number");
        }
    }
}
