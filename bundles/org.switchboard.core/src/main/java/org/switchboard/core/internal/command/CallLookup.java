package org.switchboard.core.internal.command;

import org.apache.karaf.shell.support.CommandException;
import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallControl;
import org.switchboard.core.api.Channel;

/** Finds what a technician typed: a call id or a leg id. */
final class CallLookup {

    private CallLookup() {
    }

    static Call call(CallControl calls, String id) throws CommandException {
        return calls.call(id).or(() -> calls.channel(id).flatMap(ch -> calls.call(ch.callId())))
                .orElseThrow(() -> new CommandException("no call or leg '" + id + "' is up; call:list shows the ones that are"));
    }

    static Channel channel(CallControl calls, String id) throws CommandException {
        return calls.channel(id).orElseThrow(() -> new CommandException(
                "no leg '" + id + "' is up; call:list shows the legs (LEG column)"));
    }
}
