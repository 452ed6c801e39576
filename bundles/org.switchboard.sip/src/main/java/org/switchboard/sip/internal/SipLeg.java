package org.switchboard.sip.internal;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

import org.switchboard.core.api.HangupCause;
import org.switchboard.core.spi.ChannelSignals;
import org.switchboard.core.spi.DriverChannel;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.media.rtp.RtpStream;

/**
 * One SIP call leg as a core channel: an INVITE dialog and its RTP stream. Its state changes
 * under its own lock, whoever drives it (the SIP stack's threads or the call's executor).
 */
final class SipLeg implements DriverChannel {

    enum State {
        /** Inbound: received, not yet answered. Outbound: INVITE sent, no answer yet. */
        SETUP,
        /** Inbound: 200 sent, waiting for the ACK. */
        ANSWERING,
        UP,
        ENDED
    }

    final SipCalls calls;
    final boolean inbound;
    final RtpStream stream;
    final String lineId;
    /** The extension on the phone side (the caller for inbound, the callee for outbound); empty for trunks. */
    final String extension;
    /** Set once the core has the channel; events that arrive before (an ACK racing the publication) wait in {@link #early}. */
    volatile ChannelSignals signals;
    private java.util.List<java.util.function.Consumer<ChannelSignals>> early;
    volatile State state = State.SETUP;
    final String localTag = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    long sdpVersion = 1;
    final long sdpSession = System.currentTimeMillis();

    // inbound
    ServerTransaction inviteTx;
    Request invite;
    boolean lateOffer;
    // outbound
    ClientTransaction outTx;
    Request lastInvite;
    SipTrunk trunk;
    boolean authTried;
    /** Inbound: 180 was sent (the other leg rang). */
    boolean ringingSent;
    /** Outbound: the far end sent 18x with SDP (early media: ringback, announcements) and its stream is set up. */
    volatile boolean earlyMedia;
    /** The other leg this one relays early media with, before the answer; null otherwise. */
    volatile SipLeg earlyPeer;
    Dialog dialog;
    /** The phone put the call on hold (sendonly/inactive offer): no media expected from it. */
    volatile boolean held;
    /** Media watch (housekeeping thread only): packets seen at the last look, and since when unchanged. */
    long watchedPackets = -1;
    java.time.Instant quietSince;

    SipLeg(SipCalls calls, boolean inbound, RtpStream stream, String lineId, String extension) {
        this.calls = calls;
        this.inbound = inbound;
        this.stream = stream;
        this.lineId = lineId;
        this.extension = extension;
    }

    /** Hands the core's signals to the leg and delivers what arrived before them, in order. */
    void published(ChannelSignals s) {
        java.util.List<java.util.function.Consumer<ChannelSignals>> waiting;
        synchronized (this) {
            signals = s;
            waiting = early;
            early = null;
        }
        if (waiting != null) {
            waiting.forEach(e -> e.accept(s));
        }
    }

    /** Sends an event to the core now, or as soon as the channel is published. */
    void signal(java.util.function.Consumer<ChannelSignals> event) {
        ChannelSignals s;
        synchronized (this) {
            s = signals;
            if (s == null) {
                if (early == null) {
                    early = new java.util.ArrayList<>(2);
                }
                early.add(event);
                return;
            }
        }
        event.accept(s);
    }

    @Override
    public void answer() {
        calls.answer(this);
    }

    @Override
    public void hangup(HangupCause cause) {
        calls.hangup(this, cause);
    }

    @Override
    public void sendDtmf(String keys) {
        stream.sendDtmf(keys);
    }

    @Override
    public MediaPort media() {
        return stream;
    }

    @Override
    public String toString() {
        return "SIP leg " + (signals == null ? "?" : signals.channelId()) + " " + state;
    }
}
