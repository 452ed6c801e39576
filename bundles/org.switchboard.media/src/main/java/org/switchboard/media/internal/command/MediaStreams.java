package org.switchboard.media.internal.command;

import java.net.InetSocketAddress;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.switchboard.media.internal.RtpEngineImpl;
import org.switchboard.media.rtp.RtpStats;
import org.switchboard.media.rtp.RtpStream;

@Service
@Command(scope = "media", name = "streams", description = "Lists the RTP streams: codec, peer, packets, loss, jitter, jitter buffer, dropped datagrams")
public class MediaStreams implements Action {

    @Reference
    RtpEngineImpl engine;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("LEG");
        t.column("LOCAL");
        t.column("REMOTE");
        t.column("CODEC");
        t.column("IN").alignRight();
        t.column("OUT").alignRight();
        t.column("LOST").alignRight();
        t.column("LATE").alignRight();
        t.column("JITTER").alignRight();
        t.column("BUFFER").alignRight();
        t.column("CONCEALED").alignRight();
        t.column("DROPPED").alignRight();
        t.column("PEER SAYS").alignRight();
        t.emptyTableText("no RTP streams");
        for (RtpStream s : engine.streams()) {
            RtpStats st = s.stats();
            long dropped = st.notRtp() + st.malformed() + st.oversized() + st.wrongPayload() + st.unknownSource();
            t.addRow().addContent(s.label(), s.local().getPort(), s.remote().map(MediaStreams::show).orElse("-"),
                    s.codec(), st.packetsIn(), st.packetsOut(),
                    st.lost() + String.format(" (%.1f%%)", 100 * st.lossFraction()), st.late(),
                    String.format("%.1f ms", st.jitterMs()), st.depthMs() + "/" + st.targetMs() + " ms",
                    st.concealed(), dropped,
                    String.format("%.1f%% %.1f ms", 100 * st.remoteLostFraction(), st.remoteJitterMs()));
        }
        t.print(System.out);
        System.out.println("BUFFER is depth/target; DROPPED counts datagrams that were not the peer's audio "
                + "(media:streams --help); PEER SAYS is the loss and jitter the peer reports by RTCP.");
        return null;
    }

    static String show(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
