package org.switchboard.media.internal;

import java.nio.charset.StandardCharsets;

/**
 * Minimal RTCP (RFC 3550 section 6): a compound sender or receiver report with one report block
 * and an SDES CNAME, written into a preallocated buffer; and the report block about us read from
 * the peer's SR/RR. Nothing else of RTCP is needed for the figures a technician looks at.
 */
final class Rtcp {

    static final int SR = 200;
    static final int RR = 201;
    static final int SDES = 202;
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

    private Rtcp() {
    }

    /** What a report block says about a source. */
    static final class Report {
        volatile double fractionLost;
        volatile long cumulativeLost;
        volatile double jitterMs;
        volatile long reports;
        volatile int lastSrMiddle;
        volatile long lastSrArrivalNanos;
    }

    /**
     * Writes a compound report; returns its length.
     *
     * @param sender whether we sent RTP since the last report (SR instead of RR)
     */
    static int write(byte[] b, int ssrc, boolean sender, int rtpTs, long packetsSent, long octetsSent,
                     boolean haveSource, int sourceSsrc, int fractionLost, long cumulativeLost, long extendedMax,
                     double jitterSamples, int lastSrMiddle, long lastSrArrivalNanos, long nowNanos, byte[] cname) {
        int rc = haveSource ? 1 : 0;
        int off = 0;
        int words = (sender ? 6 : 1) + 6 * rc;
        b[off] = (byte) (0x80 | rc);
        b[off + 1] = (byte) (sender ? SR : RR);
        put16(b, off + 2, words);
        put32(b, off + 4, ssrc);
        off += 8;
        if (sender) {
            long ms = System.currentTimeMillis();
            long seconds = ms / 1000 + NTP_UNIX_OFFSET;
            long fraction = ((ms % 1000) << 32) / 1000;
            put32(b, off, (int) seconds);
            put32(b, off + 4, (int) fraction);
            put32(b, off + 8, rtpTs);
            put32(b, off + 12, (int) packetsSent);
            put32(b, off + 16, (int) octetsSent);
            off += 20;
        }
        if (haveSource) {
            put32(b, off, sourceSsrc);
            long lost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost));
            put32(b, off + 4, (fractionLost << 24) | (int) (lost & 0xFFFFFF));
            put32(b, off + 8, (int) extendedMax);
            put32(b, off + 12, (int) jitterSamples);
            put32(b, off + 16, lastSrMiddle);
            int dlsr = lastSrArrivalNanos == 0 ? 0 : (int) (((nowNanos - lastSrArrivalNanos) << 16) / 1_000_000_000L);
            put32(b, off + 20, dlsr);
            off += 24;
        }
        // SDES with one CNAME item, padded to a 32-bit boundary
        int sdesStart = off;
        int itemLen = 2 + cname.length;
        int chunk = 4 + itemLen + 1;
        int padded = (chunk + 3) & ~3;
        b[off] = (byte) 0x81;
        b[off + 1] = (byte) SDES;
        put16(b, off + 2, padded / 4);
        put32(b, off + 4, ssrc);
        b[off + 8] = 1;
        b[off + 9] = (byte) cname.length;
        System.arraycopy(cname, 0, b, off + 10, cname.length);
        for (int i = off + 10 + cname.length; i < sdesStart + 4 + padded; i++) {
            b[i] = 0;
        }
        return sdesStart + 4 + padded;
    }

    static byte[] cname(String host) {
        byte[] c = ("switchboard@" + host).getBytes(StandardCharsets.US_ASCII);
        return c.length > 255 ? java.util.Arrays.copyOf(c, 255) : c;
    }

    /**
     * Reads a compound packet from the peer: the report block about {@code ourSsrc} and, from an SR,
     * what DLSR needs. Returns false when it is not RTCP.
     */
    static boolean read(byte[] b, int len, int ourSsrc, Report into, long arrivalNanos) {
        int off = 0;
        boolean any = false;
        while (off + 4 <= len) {
            if (((b[off] >> 6) & 3) != 2) {
                return any;
            }
            int rc = b[off] & 0x1F;
            int pt = b[off + 1] & 0xFF;
            int next = off + 4 + 4 * get16(b, off + 2);
            if (next > len || pt < 192 || pt > 223) {
                return any;
            }
            any = true;
            int blocks = -1;
            if (pt == SR && off + 28 <= next) {
                into.lastSrMiddle = (get16(b, off + 10) << 16) | get16(b, off + 12);
                into.lastSrArrivalNanos = arrivalNanos;
                blocks = off + 28;
            } else if (pt == RR) {
                blocks = off + 8;
            }
            for (int i = 0; blocks >= 0 && i < rc && blocks + 24 * (i + 1) <= next; i++) {
                int block = blocks + 24 * i;
                if (get32(b, block) == ourSsrc) {
                    into.fractionLost = (b[block + 4] & 0xFF) / 256.0;
                    int cum = get32(b, block + 4) & 0xFFFFFF;
                    into.cumulativeLost = (cum << 8) >> 8;
                    into.jitterMs = (get32(b, block + 12) & 0xFFFFFFFFL) / 8.0;
                    into.reports++;
                }
            }
            off = next;
        }
        return any;
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 24);
        b[off + 1] = (byte) (v >> 16);
        b[off + 2] = (byte) (v >> 8);
        b[off + 3] = (byte) v;
    }

    private static int get16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static int get32(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
