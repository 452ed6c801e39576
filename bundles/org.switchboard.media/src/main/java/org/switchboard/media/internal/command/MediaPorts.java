package org.switchboard.media.internal.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.switchboard.media.rtp.RtpEngine;

@Service
@Command(scope = "media", name = "ports", description = "Shows the RTP port range and how it is used")
public class MediaPorts implements Action {

    @Reference
    RtpEngine engine;

    @Override
    public Object execute() {
        RtpEngine.Ports p = engine.ports();
        System.out.println("RTP port range: " + p.first() + "-" + p.last() + " (RTP even, RTCP odd)");
        System.out.println("Pairs in use:   " + p.inUse());
        System.out.println("Pairs free:     " + p.free());
        System.out.println("Skipped ports:  " + p.bindFailures() + " (held by other programs when tried)");
        return null;
    }
}
