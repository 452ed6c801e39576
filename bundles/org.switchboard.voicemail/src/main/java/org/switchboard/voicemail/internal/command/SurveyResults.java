package org.switchboard.voicemail.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.voicemail.internal.VoicemailService;
import org.switchboard.voicemail.internal.VoicemailShell;

@Service
@Command(scope = "survey", name = "results", description = "Post-call survey answers, newest first, and per agent: asked, scored, average")
public class SurveyResults implements Action {

    @Reference
    VoicemailService vm;

    @Argument(index = 0, name = "AGENT", description = "Only this agent (an extension number, or LINE:NUMBER)")
    String agent;

    @Override
    public Object execute() throws Exception {
        VmCommands.table(VoicemailShell.surveys(vm, agent), "no survey answers", "ID", "AGENT", "CALLER", "ASKED", "SCORE", "OUTCOME", "CALL");
        VoicemailShell.surveySummary(vm, agent).forEach(System.out::println);
        return null;
    }
}
