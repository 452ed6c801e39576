package org.switchboard.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.switchboard.core.spi.DirectMediaPort;
import org.switchboard.core.spi.MediaClock;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.media.codec.Codec;
import org.switchboard.media.dsp.DtmfDetector;
import org.switchboard.media.rtp.DtmfListener;
import org.switchboard.media.rtp.RtpStats;
import org.switchboard.media.rtp.RtpStream;

/**
 * One RTP stream. Three threads touch it, each its own part:
 * <ul>
 * <li>the network thread ({@link RtpReceiver}) copies datagrams into a {@link PacketRing} and reads
 * RTCP;</li>
 * <li>the media clock calls {@link #read} and {@link #write}: all parsing, source checks, the jitter
 * buffer, telephone-events and sending happen there, without locks or allocation;</li>
 * <li>call control configures it through volatile fields and a queue of keys to send.</li>
 * </ul>
 * Sources: the first source whose packets come in sequence is accepted (and latched onto, when it
 * is not where the SDP said: symmetric RTP for phones behind NAT). A different address or SSRC
 * takes over only after three packets in sequence and, for a new SSRC, once the old one has gone
 * quiet; anything else is counted and dropped.
 */
final class RtpStreamImpl implements RtpStream, DirectMediaPort {

    private static final int PROBATION_PACKETS = 3;
    private static final int RTCP_INTERVAL_TICKS = 250;
    private static final int SILENT_SOURCE_SAMPLES = 1600;

    private final RtpEngineImpl engine;
    private volatile String label;
    private final PortAllocator.Allocation ports;
    private final InetSocketAddress local;
    private final MediaClock clock;
    private final PacketRing ring = new PacketRing();
    private final JitterBuffer jitter;
    private final SequenceTracker sequence = new SequenceTracker();
    private final TelephoneEvents events = new TelephoneEvents();
    private final Rtcp.Report remoteReport = new Rtcp.Report();
    private final ConcurrentLinkedQueue<Character> keysToSend = new ConcurrentLinkedQueue<>();
    private final byte[] cname;

    private volatile InetSocketAddress signalled;
    private volatile InetSocketAddress target;
    private volatile Codec codec = Codec.PCMU;
    private volatile int telephoneEvent = -1;
    private volatile DtmfListener dtmfListener;
    private volatile boolean inband;
    private volatile boolean closed;

    // media clock thread only
    private final short[] decoded = new short[PacketRing.SLOT_BYTES];
    private final byte[] tx = new byte[RtpHeader.FIXED + 480];
    private final ByteBuffer txBuffer = ByteBuffer.wrap(tx);
    private final byte[] rtcpTx = new byte[512];
    private final ByteBuffer rtcpBuffer = ByteBuffer.wrap(rtcpTx);
    private final DtmfDetector detector;
    private final TelephoneEvents.Sink keySink = this::deliverKey;
    private boolean haveSource;
    private int ssrc;
    private InetSocketAddress source;
    private int candidateSsrc;
    private InetSocketAddress candidateSource;
    private int candidateCount;
    private int candidateNextSeq;
    private long lastFromSource;
    private final int txSsrc;
    // written by the clock in frame mode and by the network thread while relaying into this stream
    private volatile int txSeq;
    private volatile int txTs;
    private boolean txMarker = true;
    private long sentSinceReport;

    // counters: written by one thread each, read by the shell
    private long datagrams;
    private long packetsIn;
    private long packetsOut;
    private long octetsOut;
    private long notRtp;
    private long malformed;
    private long wrongPayload;
    private long unknownSource;
    private long sendFailures;
    volatile long oversized;
    private long latches;

    RtpStreamImpl(RtpEngineImpl engine, String label, PortAllocator.Allocation ports, MediaClock clock,
                  int minDelayMs, int maxDelayMs) {
        this.engine = engine;
        this.label = label;
        this.ports = ports;
        this.local = ports.local();
        this.clock = clock;
        this.jitter = new JitterBuffer(minDelayMs, maxDelayMs);
        SecureRandom random = new SecureRandom();
        this.txSsrc = random.nextInt();
        this.txSeq = random.nextInt(0x10000);
        this.txTs = random.nextInt();
        this.cname = Rtcp.cname(local.getAddress().getHostAddress());
        this.detector = new DtmfDetector(this::deliverKey);
    }

    PortAllocator.Allocation ports() {
        return ports;
    }

    PacketRing ring() {
        return ring;
    }

    // ------------------------------------------------------------------ configuration (any thread)

    @Override
    public String label() {
        return label;
    }

    @Override
    public void label(String label) {
        this.label = label;
    }

    @Override
    public InetSocketAddress local() {
        return local;
    }

    @Override
    public Optional<InetSocketAddress> remote() {
        return Optional.ofNullable(target);
    }

    @Override
    public void remote(InetSocketAddress address) {
        this.signalled = address;
        this.target = address;
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public void codec(Codec c) {
        this.codec = c;
    }

    @Override
    public void telephoneEvent(int payloadType) {
        if (payloadType != -1 && (payloadType < 96 || payloadType > 127)) {
            throw new IllegalArgumentException("telephone-event payload type must be 96..127 (dynamic), got " + payloadType);
        }
        this.telephoneEvent = payloadType;
    }

    @Override
    public void onDtmf(DtmfListener listener) {
        this.dtmfListener = listener;
    }

    @Override
    public void sendDtmf(String keys) {
        for (char k : keys.toCharArray()) {
            if (TelephoneEvents.KEYS.indexOf(k) < 0) {
                throw new IllegalArgumentException("'" + k + "' is not a DTMF key; allowed: 0-9 * # A-D");
            }
            keysToSend.add(k);
        }
    }

    @Override
    public void inbandDtmf(boolean enabled) {
        this.inband = enabled;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            engine.release(this);
        }
    }

    boolean closed() {
        return closed;
    }

    // ------------------------------------------------------------------ network thread

    /**
     * Takes what the RTP socket holds, up to a few datagrams: a backlog after a stall drains fast,
     * and no socket keeps the thread from the others for long.
     */
    void readable(DatagramChannel channel, ByteBuffer buffer) {
        for (int i = 0; i < 4; i++) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (IOException e) {
                return;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            if (buffer.remaining() > PacketRing.SLOT_BYTES || buffer.remaining() == buffer.capacity()) {
                oversized++;
                continue;
            }
            RtpStreamImpl to = relayTarget;
            if (to != null) {
                relay(buffer, from, to);
                continue;
            }
            if (networkOwnsState) {
                networkOwnsState = false; // the relay has stopped and this thread is done with the state
            }
            ring.offer(buffer, from, System.nanoTime());
        }
    }

    /** An RTCP datagram from the peer. */
    void rtcpReadable(DatagramChannel channel, ByteBuffer buffer) {
        for (int i = 0; i < 4; i++) {
            buffer.clear();
            try {
                if (channel.receive(buffer) == null) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
            buffer.flip();
            int n = Math.min(buffer.remaining(), rtcpIn.length);
            buffer.get(rtcpIn, 0, n);
            Rtcp.read(rtcpIn, n, txSsrc, remoteReport, System.nanoTime());
        }
    }

    private final byte[] rtcpIn = new byte[1500];

    // ------------------------------------------------------------------ direct relay

    /** The stream whose far end gets what this one receives, packet by packet; null in frame mode. */
    private volatile RtpStreamImpl relayTarget;
    /**
     * Who owns the receive state (sources, sequence, telephone-events): the network thread from
     * {@link #relayTo} until it has seen the relay stop; the clock otherwise. The hand-over back
     * happens on the network thread, after its last use, so the two never touch the state at once.
     */
    private volatile boolean networkOwnsState;
    private final byte[] relayBuf = new byte[PacketRing.SLOT_BYTES];
    private final ByteBuffer relayOut = ByteBuffer.wrap(relayBuf);
    private RtpStreamImpl relayOffsetFor;
    private int relayTsOffset;

    @Override
    public boolean relayTo(MediaPort peer) {
        if (!(peer instanceof RtpStreamImpl other) || other == this || other.codec != codec || inband || closed
                || other.closed) {
            return false;
        }
        networkOwnsState = true;
        relayTarget = other;
        return true;
    }

    @Override
    public void stopRelay() {
        relayTarget = null;
    }

    boolean relaying() {
        return relayTarget != null;
    }

    /** Network thread, relay mode: check the packet as in frame mode, rewrite it as the target's, send it. */
    private void relay(ByteBuffer datagram, InetSocketAddress from, RtpStreamImpl to) {
        int len = datagram.remaining();
        datagram.get(relayBuf, 0, len);
        datagrams++;
        if (len < RtpHeader.FIXED || RtpHeader.version(relayBuf) != 2) {
            notRtp++;
            return;
        }
        int pt = RtpHeader.payloadType(relayBuf);
        int off = RtpHeader.payloadOffset(relayBuf, len);
        int end = RtpHeader.payloadEnd(relayBuf, len);
        if (off < 0 || end < 0) {
            malformed++;
            return;
        }
        long arrival = (System.nanoTime() - clock.startNanos()) / 125_000;
        int seq = RtpHeader.sequence(relayBuf);
        int verdict = fromAcceptedSource(RtpHeader.ssrc(relayBuf), from, seq, arrival);
        if (verdict != ACCEPT) {
            if (verdict == REJECT) {
                unknownSource++;
            }
            return;
        }
        lastFromSource = arrival;
        int ts = RtpHeader.timestamp(relayBuf);
        int outPt;
        int samples;
        if (pt == codec.payloadType()) {
            outPt = to.codec.payloadType();
            samples = end - off;
        } else if (pt == telephoneEvent && telephoneEvent >= 0) {
            events.receive(relayBuf, off, end, ts, arrival, keySink);
            outPt = to.telephoneEvent;
            samples = 0;
            if (outPt < 0) {
                packetsIn++;
                return; // the other side takes no events; the key was still reported here
            }
        } else {
            if (pt != 13) {
                wrongPayload++;
            }
            return;
        }
        packetsIn++;
        sequence.update(seq);
        boolean marker = RtpHeader.marker(relayBuf);
        if (relayOffsetFor != to) {
            // continue the target's own timeline: its next timestamp is where this packet lands
            relayOffsetFor = to;
            relayTsOffset = to.txTs - ts;
            marker = true;
        }
        int outSeq = to.txSeq;
        int outTs = ts + relayTsOffset;
        to.txSeq = (outSeq + 1) & 0xFFFF;
        if (samples > 0 && outTs + samples - to.txTs > 0) {
            to.txTs = outTs + samples;
        }
        RtpHeader.write(relayBuf, marker, outPt, outSeq, outTs, to.txSsrc);
        if (off != RtpHeader.FIXED) {
            // drop CSRCs and extensions: the packet is now the target's own
            System.arraycopy(relayBuf, off, relayBuf, RtpHeader.FIXED, end - off);
        }
        int outLen = RtpHeader.FIXED + (end - off);
        InetSocketAddress dest = to.target;
        if (dest == null) {
            return;
        }
        relayOut.clear().limit(outLen);
        try {
            if (to.ports.rtp().send(relayOut, dest) == 0) {
                to.sendFailures++;
                return;
            }
        } catch (IOException e) {
            to.sendFailures++;
            return;
        }
        to.packetsOut++;
        to.octetsOut += outLen - RtpHeader.FIXED;
        to.sentSinceReport++;
    }

    // ------------------------------------------------------------------ media clock thread

    @Override
    public boolean read(short[] frame) {
        if (networkOwnsState) {
            return false; // relaying, or just stopped and the network thread has not let go yet
        }
        long now = clock.currentTick() * JitterBuffer.FRAME;
        long start = clock.startNanos();
        for (int slot = ring.peek(); slot >= 0; slot = ring.peek()) {
            accept(ring.data(slot), ring.length(slot), ring.source(slot), (ring.arrivalNanos(slot) - start) / 125_000);
            ring.release();
            datagrams++;
        }
        events.tick(now, keySink);
        if (((clock.currentTick() + local.getPort()) % RTCP_INTERVAL_TICKS) == 0) {
            sendRtcp();
        }
        boolean heard = jitter.get(frame, now);
        if (heard && inband) {
            detector.process(frame);
        }
        return heard;
    }

    private void accept(byte[] p, int len, InetSocketAddress from, long arrival) {
        if (len < RtpHeader.FIXED || RtpHeader.version(p) != 2) {
            notRtp++;
            return;
        }
        int pt = RtpHeader.payloadType(p);
        if (pt >= 72 && pt <= 76) {
            notRtp++; // RTCP sent to the RTP port (rtcp-mux we did not offer)
            return;
        }
        int off = RtpHeader.payloadOffset(p, len);
        int end = RtpHeader.payloadEnd(p, len);
        if (off < 0 || end < 0) {
            malformed++;
            return;
        }
        int seq = RtpHeader.sequence(p);
        int pssrc = RtpHeader.ssrc(p);
        int verdict = fromAcceptedSource(pssrc, from, seq, arrival);
        if (verdict == REJECT) {
            unknownSource++;
            return;
        }
        if (verdict == PROBATION) {
            return;
        }
        lastFromSource = arrival;
        int ts = RtpHeader.timestamp(p);
        if (pt == telephoneEvent && telephoneEvent >= 0) {
            packetsIn++;
            sequence.update(seq);
            events.receive(p, off, end, ts, arrival, keySink);
            return;
        }
        Codec c = pt == Codec.PCMU.payloadType() ? Codec.PCMU : pt == Codec.PCMA.payloadType() ? Codec.PCMA : null;
        if (c == null) {
            if (pt != 13) { // comfort noise is silence: nothing to play, nothing wrong
                wrongPayload++;
            }
            return;
        }
        if (!sequence.update(seq)) {
            unknownSource++;
            return;
        }
        packetsIn++;
        int n = end - off;
        c.decode(p, off, decoded, 0, n);
        jitter.put(ts, RtpHeader.marker(p), decoded, 0, n, arrival);
    }

    /**
     * Whether the packet comes from the accepted source; decides the source when there is none, and
     * moves to a new address or SSRC after {@link #PROBATION} packets in sequence.
     */
    private static final int ACCEPT = 0;
    private static final int PROBATION = 1;
    private static final int REJECT = 2;

    /**
     * Whether the packet comes from the accepted source. The first source is accepted at once when
     * it is the signalled address, else after two packets in sequence; later a new address (same
     * SSRC: NAT rebinding) or a new SSRC (once the old one has gone quiet) takes over after
     * {@link #PROBATION_PACKETS} packets in sequence.
     */
    private int fromAcceptedSource(int pssrc, InetSocketAddress from, int seq, long arrival) {
        if (haveSource && pssrc == ssrc && from.equals(source)) {
            candidateCount = 0;
            return ACCEPT;
        }
        boolean newSsrc = !haveSource || pssrc != ssrc;
        if (haveSource && newSsrc && arrival - lastFromSource < SILENT_SOURCE_SAMPLES) {
            return REJECT; // the accepted source still talks: an intruder, or a stray old stream
        }
        if (candidateCount > 0 && pssrc == candidateSsrc && from.equals(candidateSource) && seq == candidateNextSeq) {
            candidateCount++;
        } else {
            candidateSsrc = pssrc;
            candidateSource = from;
            candidateCount = 1;
        }
        candidateNextSeq = (seq + 1) & 0xFFFF;
        int needed = !haveSource ? (from.equals(signalled) ? 1 : 2) : PROBATION_PACKETS;
        if (candidateCount < needed) {
            // a known SSRC from a new address keeps playing while on probation; a new SSRC waits
            return haveSource && !newSsrc ? ACCEPT : PROBATION;
        }
        if (newSsrc) {
            sequence.reset();
            jitter.restart();
        }
        haveSource = true;
        ssrc = pssrc;
        source = from;
        candidateCount = 0;
        if (!from.equals(target)) {
            target = from;
            latches++;
        }
        return ACCEPT;
    }

    private void deliverKey(char digit, int durationMs) {
        DtmfListener l = dtmfListener;
        if (l != null) {
            l.onDtmf(digit, durationMs);
        }
    }

    @Override
    public void write(short[] frame) {
        InetSocketAddress to = target;
        if (to == null || closed) {
            return;
        }
        transmit(packetize(frame), to);
    }

    /** Clock thread: builds this tick's packet (audio, or a telephone-event while keys are sent) into tx. */
    int packetize(short[] frame) {
        for (Character k = keysToSend.poll(); k != null; k = keysToSend.poll()) {
            events.enqueue(k);
        }
        int te = telephoneEvent;
        int seq = txSeq;
        int ts = txTs;
        int length;
        if (te >= 0 && events.sending() && events.nextPacket(tx, RtpHeader.FIXED, ts)) {
            RtpHeader.write(tx, events.marker(), te, seq, events.sendTs(), txSsrc);
            length = RtpHeader.FIXED + 4;
        } else {
            Codec c = codec;
            RtpHeader.write(tx, txMarker, c.payloadType(), seq, ts, txSsrc);
            c.encode(frame, 0, tx, RtpHeader.FIXED, JitterBuffer.FRAME);
            length = RtpHeader.FIXED + JitterBuffer.FRAME;
            txMarker = false;
        }
        txSeq = (seq + 1) & 0xFFFF;
        txTs = ts + JitterBuffer.FRAME;
        return length;
    }

    private void transmit(int length, InetSocketAddress to) {
        txBuffer.clear().limit(length);
        try {
            if (ports.rtp().send(txBuffer, to) == 0) {
                sendFailures++;
                return;
            }
        } catch (IOException e) {
            sendFailures++;
            return;
        }
        packetsOut++;
        octetsOut += length - RtpHeader.FIXED;
        sentSinceReport++;
    }

    private void sendRtcp() {
        InetSocketAddress to = target;
        if (to == null || closed) {
            return;
        }
        int fraction = sequence.fractionLostSinceLast();
        int len = Rtcp.write(rtcpTx, txSsrc, sentSinceReport > 0, txTs, packetsOut, octetsOut, haveSource, ssrc,
                fraction, sequence.lost(), sequence.extendedMax(), jitter.jitterSamples(), remoteReport.lastSrMiddle,
                remoteReport.lastSrArrivalNanos, System.nanoTime(), cname);
        sentSinceReport = 0;
        rtcpBuffer.clear().limit(len);
        try {
            ports.rtcp().send(rtcpBuffer, rtcpAddress(to));
        } catch (IOException e) {
            sendFailures++;
        }
    }

    /** RTCP goes to the port above the peer's RTP port (RFC 3550; no rtcp-mux). */
    private static InetSocketAddress rtcpAddress(InetSocketAddress rtp) {
        return new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
    }

    @Override
    public RtpStats stats() {
        long now = clock.currentTick() * JitterBuffer.FRAME;
        return new RtpStats(packetsIn, packetsOut, sequence.lost(), jitter.late, jitter.duplicates, sequence.reordered,
                jitter.concealed, jitter.skipped, jitter.stretched, jitter.jitterSamples() / 8.0, jitter.depth(now) / 8,
                jitter.target() / 8, notRtp, malformed + events.malformed, oversized, wrongPayload, unknownSource,
                remoteReport.fractionLost, remoteReport.jitterMs);
    }

    /** Datagrams taken from the ring (whatever they were). */
    long datagrams() {
        return datagrams;
    }

    long sendFailures() {
        return sendFailures;
    }

    long latches() {
        return latches;
    }

    long ringOverflows() {
        return ring.overflows();
    }

    @Override
    public String toString() {
        return "RTP " + label + " " + local;
    }
}
