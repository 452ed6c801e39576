package org.switchboard.media.rtp;

/**
 * A stream's figures, for the shell and for RTCP. Counts are since the stream opened.
 *
 * @param packetsIn        valid RTP packets received (audio and telephone-events)
 * @param packetsOut       RTP packets sent
 * @param lost             packets never received (RFC 3550 cumulative loss)
 * @param late             packets that came after their time to play had passed
 * @param duplicates       packets received twice
 * @param reordered        packets received out of order, in time to play
 * @param concealed        20 ms frames made up because audio was missing
 * @param driftSkips       frames dropped because the peer's clock runs fast
 * @param driftStretches   frames inserted because the peer's clock runs slow
 * @param jitterMs         interarrival jitter (RFC 3550), in ms
 * @param depthMs          jitter buffer depth now, in ms
 * @param targetMs         the depth the buffer adapts to, in ms
 * @param notRtp           datagrams that were not RTP (STUN, garbage, wrong version)
 * @param malformed        RTP packets with an inconsistent header (padding, extension, CSRC count beyond the data)
 * @param oversized        datagrams larger than a voice packet can be
 * @param wrongPayload     RTP packets of a payload type this stream does not carry
 * @param unknownSource    packets from an SSRC or address the stream did not accept
 * @param remoteLostFraction the fraction of our packets the peer reports lost (RTCP), 0..1
 * @param remoteJitterMs   the jitter the peer reports (RTCP), in ms
 */
public record RtpStats(long packetsIn, long packetsOut, long lost, long late, long duplicates, long reordered,
                       long concealed, long driftSkips, long driftStretches, double jitterMs, int depthMs, int targetMs,
                       long notRtp, long malformed, long oversized, long wrongPayload, long unknownSource,
                       double remoteLostFraction, double remoteJitterMs) {

    /** Loss as a fraction of what was expected. */
    public double lossFraction() {
        long expected = packetsIn + lost;
        return expected <= 0 ? 0 : (double) Math.max(0, lost) / expected;
    }
}
