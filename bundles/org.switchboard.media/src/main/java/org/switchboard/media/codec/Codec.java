package org.switchboard.media.codec;

import java.util.Locale;
import java.util.Optional;

/** The voice codecs of the box, with their static RTP payload types (RFC 3551). */
public enum Codec {
    PCMU(0) {
        @Override
        public void encode(short[] in, int inOff, byte[] out, int outOff, int n) {
            G711.encodeUlaw(in, inOff, out, outOff, n);
        }

        @Override
        public void decode(byte[] in, int inOff, short[] out, int outOff, int n) {
            G711.decodeUlaw(in, inOff, out, outOff, n);
        }
    },
    PCMA(8) {
        @Override
        public void encode(short[] in, int inOff, byte[] out, int outOff, int n) {
            G711.encodeAlaw(in, inOff, out, outOff, n);
        }

        @Override
        public void decode(byte[] in, int inOff, short[] out, int outOff, int n) {
            G711.decodeAlaw(in, inOff, out, outOff, n);
        }
    };

    private final int payloadType;

    Codec(int payloadType) {
        this.payloadType = payloadType;
    }

    /** The static RTP payload type. */
    public int payloadType() {
        return payloadType;
    }

    /** One byte per sample at 8 kHz. */
    public abstract void encode(short[] in, int inOff, byte[] out, int outOff, int n);

    public abstract void decode(byte[] in, int inOff, short[] out, int outOff, int n);

    public static Optional<Codec> byPayloadType(int pt) {
        for (Codec c : values()) {
            if (c.payloadType == pt) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** By its SDP encoding name, case-insensitive. */
    public static Optional<Codec> byName(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
