package org.switchboard.bench;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.core.api.Call;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.HangupCause;
import org.switchboard.core.internal.CallEngine;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.spi.LineStatus;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.media.internal.MediaConfig;
import org.switchboard.media.internal.RtpEngineImpl;
import org.switchboard.media.rtp.RtpStream;

/**
 * The appliance's media path without the rest of the appliance: the real call engine, media clock
 * and RTP engine, with N calls each made of two RTP legs bridged in the core, exactly as SIP will
 * bridge them. The legs learn their peers from the first packets (symmetric RTP), so the load
 * generator only needs the ports, which are written to a file, one call per line: "portA portB".
 *
 * <pre>java -cp benchmarks.jar org.switchboard.bench.RelayBox CALLS PORTS_FILE [frames]</pre>
 * "frames" keeps every leg on the media clock (jitter buffer, decode, bridge, encode) instead of
 * the direct packet relay.
 */
public final class RelayBox {

    private static final boolean[] FRAMES = {false};

    private RelayBox() {
    }

    /** A leg whose audio is an RTP stream; with {@code frames}, hidden behind a plain media port so it cannot relay. */
    private record Leg(RtpStream stream, boolean frames) implements DriverChannel {
        @Override
        public void answer() {
        }

        @Override
        public void hangup(HangupCause cause) {
            stream.close();
        }

        @Override
        public MediaPort media() {
            if (!frames) {
                return stream;
            }
            return new MediaPort() {
                @Override
                public boolean read(short[] frame) {
                    return stream.read(frame);
                }

                @Override
                public void write(short[] frame) {
                    stream.write(frame);
                }
            };
        }
    }

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        Path portsFile = Path.of(args[1]);
        boolean frames = args.length > 2 && args[2].equals("frames");
        FRAMES[0] = frames;
        CallEngine core = CallEngine.standalone(2, java.time.Duration.ofSeconds(3600));
        RtpEngineImpl rtp = new RtpEngineImpl(core, new MediaConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MediaConfig.class;
            }

            @Override
            public int rtp_port_first() {
                return 20000;
            }

            @Override
            public int rtp_port_last() {
                return 29999;
            }

            @Override
            public int jitter_min_ms() {
                return 20;
            }

            @Override
            public int jitter_max_ms() {
                return 200;
            }

            @Override
            public int rtp_socket_buffer() {
                return 256 * 1024;
            }

            @Override
            public int rtp_threads() {
                return Integer.getInteger("rtp.threads", 0);
            }

            @Override
            public int rtp_coalesce_us() {
                return Integer.getInteger("rtp.coalesce.us", 300);
            }
        });
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<RtpStream> pending = new ArrayList<>();
        Line line = new Line() {
            @Override
            public String id() {
                return "bench";
            }

            @Override
            public String cardId() {
                return "bench";
            }

            @Override
            public LineKind kind() {
                return LineKind.SIP_TRUNK;
            }

            @Override
            public String number() {
                return "";
            }

            @Override
            public LineStatus status() {
                return LineStatus.online(Instant.EPOCH);
            }

            @Override
            public DriverChannel dial(String number, CallerId callerId, ChannelSignals signals) {
                signals.answered();
                return new Leg(pending.remove(0), FRAMES[0]);
            }
        };
        core.addLine(line);
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < calls; i++) {
            RtpStream a = rtp.open("call" + i + "/a", lo);
            RtpStream b = rtp.open("call" + i + "/b", lo);
            ChannelSignals sa = core.inbound("bench", CallerId.of("1000" + i), "2000", new Leg(a, frames));
            Call call = null;
            while (call == null) {
                String id = sa.channelId();
                call = core.channel(id).flatMap(ch -> core.call(ch.callId())).orElse(null);
            }
            sa.answered();
            Channel legA = call.origin();
            synchronized (pending) {
                pending.add(b);
            }
            Channel legB = core.originate(call, "bench", "2000", CallerId.of("1000")).toCompletableFuture().get();
            while (!legA.state().isUp() || !legB.state().isUp()) {
                Thread.onSpinWait();
            }
            core.bridge(legA, legB, true).toCompletableFuture().get();
            ports.append(a.local().getPort()).append(' ').append(b.local().getPort()).append('\n');
        }
        Path tmp = Files.createTempFile(portsFile.toAbsolutePath().getParent(), "ports", ".tmp");
        Files.writeString(tmp, ports);
        Files.move(tmp, portsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("ready: " + calls + " bridged calls (" + (frames ? "frames through the media clock" : "direct relay")
                + "), pid " + ProcessHandle.current().pid());
        Thread.sleep(Long.MAX_VALUE);
    }
}
