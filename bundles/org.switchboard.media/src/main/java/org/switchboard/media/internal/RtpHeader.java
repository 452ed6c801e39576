package org.switchboard.media.internal;

/**
 * Reads and writes the fixed RTP header (RFC 3550 section 5.1) in place, on byte arrays; no
 * objects. {@link #payloadOffset} validates what a peer could get wrong.
 */
final class RtpHeader {

    static final int FIXED = 12;

    private RtpHeader() {
    }

    static int version(byte[] p) {
        return (p[0] >> 6) & 3;
    }

    static boolean marker(byte[] p) {
        return (p[1] & 0x80) != 0;
    }

    static int payloadType(byte[] p) {
        return p[1] & 0x7F;
    }

    static int sequence(byte[] p) {
        return ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
    }

    static int timestamp(byte[] p) {
        return ((p[4] & 0xFF) << 24) | ((p[5] & 0xFF) << 16) | ((p[6] & 0xFF) << 8) | (p[7] & 0xFF);
    }

    static int ssrc(byte[] p) {
        return ((p[8] & 0xFF) << 24) | ((p[9] & 0xFF) << 16) | ((p[10] & 0xFF) << 8) | (p[11] & 0xFF);
    }

    /**
     * Where the payload starts, past CSRCs and a header extension; or -1 when the header does not fit
     * the datagram (lying CSRC count, extension length or padding).
     *
     * @param len datagram length; the payload ends at {@link #payloadEnd}
     */
    static int payloadOffset(byte[] p, int len) {
        if (len < FIXED) {
            return -1;
        }
        int off = FIXED + 4 * (p[0] & 0x0F);
        if ((p[0] & 0x10) != 0) {
            if (off + 4 > len) {
                return -1;
            }
            int words = ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
            off += 4 + 4 * words;
        }
        return off <= payloadEnd(p, len) ? off : -1;
    }

    /** Where the payload ends, before padding; -1 when the padding count is impossible. */
    static int payloadEnd(byte[] p, int len) {
        if ((p[0] & 0x20) == 0) {
            return len;
        }
        int pad = p[len - 1] & 0xFF;
        return pad == 0 || pad > len - FIXED ? -1 : len - pad;
    }

    static void write(byte[] p, boolean marker, int payloadType, int seq, int ts, int ssrc) {
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
    }
}
