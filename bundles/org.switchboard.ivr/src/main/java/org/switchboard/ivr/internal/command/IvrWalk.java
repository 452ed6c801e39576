package org.switchboard.ivr.internal.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.ivr.internal.IvrService;
import org.switchboard.ivr.internal.IvrShell;
import org.switchboard.shell.TrailingOptions;

@Service
@Command(scope = "ivr", name = "walk", description = "A dry run of a menu: the prompts a caller hears and where they end up for the given keys")
public class IvrWalk implements Action {

    @Reference
    IvrService ivr;

    @Argument(index = 0, name = "MENU", required = true, description = "Menu name (ivr:list)")
    String menu;

    @Option(name = "--digits", description = "What the caller does at each prompt, comma-separated: keys, or - for nothing, e.g. 1,-,2#")
    String digits = "";

    @Option(name = "--lang", description = "Start in this language instead of the menu's")
    String lang;

    @Argument(index = 1, name = "OPTIONS", multiValued = true, description = "The options may also follow MENU")
    List<String> trailing;

    @Override
    public Object execute() throws Exception {
        TrailingOptions.apply(this, trailing);
        IvrCommands.print(() -> IvrShell.walk(ivr, menu, digits, lang));
        return null;
    }
}
