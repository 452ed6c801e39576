package org.switchboard.line.serial.internal.at;

/**
 * DLE shielding of V.253 voice data (ITU-T V.253 §4.3): in both directions a data byte equal to
 * DLE (0x10) is sent doubled, and DLE followed by another character is an in-band event or
 * command ({@code <DLE><ETX>} ends the data, {@code <DLE>5} is the key 5, {@code <DLE>b} busy
 * tone, ...).
 * <p>
 * The decoder keeps its state between buffers, so a {@code <DLE>} at the end of one read and its
 * partner at the start of the next are read as one pair. Nothing here allocates.
 */
public final class Dle {

    public static final byte DLE = 0x10;
    public static final byte ETX = 0x03;

    private Dle() {
    }

    /**
     * Shields {@code n} data bytes of {@code in} into {@code out}, doubling every DLE.
     *
     * @param out must have room for {@code 2 * n} bytes
     * @return the number of bytes written to {@code out}
     */
    public static int shield(byte[] in, int off, int n, byte[] out, int outOff) {
        if (out.length - outOff < 2 * n) {
            throw new IllegalArgumentException("output has room for " + (out.length - outOff) + " bytes, needs " + 2 * n);
        }
        int o = outOff;
        for (int i = off; i < off + n; i++) {
            byte b = in[i];
            out[o++] = b;
            if (b == DLE) {
                out[o++] = DLE;
            }
        }
        return o - outOff;
    }

    /** Where the decoder puts what it reads. */
    public interface Sink {

        /** Unshielded voice data, {@code buf[off..off+len)}; valid only during the call. */
        void data(byte[] buf, int off, int len);

        /** {@code <DLE>c}: an event from the modem (DTMF digit, tone, ETX, ...). */
        void event(char c);
    }

    /** Reads a shielded stream that may be cut anywhere. One per direction and port; not thread-safe. */
    public static final class Decoder {

        private boolean pendingDle;
        private long events;

        /**
         * Decodes {@code buf[off..off+len)} in place (the unshielded data is never longer than
         * the input) and hands data and events to {@code sink} in stream order.
         *
         * @return the index just after {@code <DLE><ETX>} if it was seen (what follows is no longer
         *         voice data), or -1 when the whole buffer was consumed as voice
         */
        public int decode(byte[] buf, int off, int len, Sink sink) {
            int end = off + len;
            int runStart = off;
            int w = off;
            for (int i = off; i < end; i++) {
                byte b = buf[i];
                if (pendingDle) {
                    pendingDle = false;
                    if (b == DLE) {
                        buf[w++] = DLE;
                        continue;
                    }
                    if (w > runStart) {
                        sink.data(buf, runStart, w - runStart);
                    }
                    w = i + 1;
                    runStart = w;
                    events++;
                    sink.event((char) (b & 0xFF));
                    if (b == ETX) {
                        return i + 1;
                    }
                    continue;
                }
                if (b == DLE) {
                    pendingDle = true;
                    continue;
                }
                buf[w++] = b;
            }
            if (w > runStart) {
                sink.data(buf, runStart, w - runStart);
            }
            return -1;
        }

        /** Whether the last buffer ended in the middle of a DLE pair. */
        public boolean midPair() {
            return pendingDle;
        }

        public long events() {
            return events;
        }

        public void reset() {
            pendingDle = false;
        }
    }
}
