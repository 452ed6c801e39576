package org.switchboard.sip.internal.command;

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
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.shell.TrailingOptions;
import org.switchboard.sip.internal.SipServer;
import org.switchboard.sip.internal.SipShell;

@Service
@Command(scope = "sip", name = "extensions", description = "Lists, adds, removes extensions and sets their passwords (passwords are generated and shown once)")
public class SipExtensions implements Action {

    @Reference
    SipServer server;

    @Argument(index = 0, name = "ACTION", description = "list (default), add, remove, passwd")
    @Completion(value = StringsCompleter.class, values = {"list", "add", "remove", "passwd"})
    String action = "list";

    @Argument(index = 1, name = "NUMBER", description = "Extension number (2-12 digits)")
    String number;

    @Option(name = "--name", description = "Display name (add)")
    String name;

    @Option(name = "--networks", description = "Allowed source networks, e.g. 192.168.1.0/24,10.8.0.0/16 (add); default anywhere")
    String networks = "";

    @Option(name = "--dial-out", description = "The extension may call outside numbers through the trunks (add)")
    boolean dialOut;

    @Argument(index = 2, name = "OPTIONS", multiValued = true, description = "The options may also follow NUMBER")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        SipShell shell = SipShellSupport.shell(server);
        if (!action.equals("list") && (number == null || number.isBlank())) {
            throw new CommandException("sip:extensions " + action + " needs an extension NUMBER");
        }
        switch (action) {
            case "list" -> {
                ShellTable t = new ShellTable();
                t.column("EXTENSION");
                t.column("NAME");
                t.column("CONTACTS").alignRight();
                t.column("ALLOWED FROM");
                t.column("DIAL OUT");
                t.emptyTableText("no extensions; add one with sip:extensions add NUMBER --name NAME");
                for (SipShell.ExtensionRow r : shell.extensions()) {
                    t.addRow().addContent(r.number(), r.name(), r.contacts(), r.networks(), r.dialOut() ? "yes" : "no");
                }
                t.print(System.out);
            }
            case "add" -> {
                String pw = SipShellSupport.run(() -> shell.add(number, name, networks, dialOut));
                System.out.println("Extension " + number + " added; its SIP password (shown once): " + pw);
            }
            case "passwd" -> {
                String pw = SipShellSupport.run(() -> shell.passwd(number));
                System.out.println("Extension " + number + " has a new SIP password (shown once): " + pw);
            }
            case "remove" -> {
                SipShellSupport.run(() -> {
                    shell.remove(number);
                    return null;
                });
                System.out.println("Extension " + number + " removed; its phones are unregistered");
            }
            default -> throw new CommandException("'" + action + "' is not an action; allowed: list, add, remove, passwd");
        }
        return null;
    }
}
