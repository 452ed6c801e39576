package org.switchboard.media.rtp;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.switchboard.core.spi.MediaPort;
import org.switchboard.media.codec.Codec;

/**
 * One RTP stream: a pair of local UDP ports (RTP, RTCP) and the audio of one leg. It is the leg's
 * {@link MediaPort}: the media clock reads it (jitter buffer out, decoded) and writes it (encoded,
 * sent) every 20 ms. Configuration methods are thread-safe and take effect at the next tick.
 */
@ProviderType
public interface RtpStream extends MediaPort, AutoCloseable {

    /** What the stream belongs to, e.g. the leg's id; shown by media:streams. */
    String label();

    /** Renames the stream once its owner knows its final name (a SIP leg learns its channel id after the INVITE). */
    void label(String label);

    /** The local RTP address (even port; RTCP is the next port). */
    InetSocketAddress local();

    /** Where packets go now: the signalled address, or where the peer's packets come from once latched. */
    Optional<InetSocketAddress> remote();

    /** The peer's address as signalled (SDP); symmetric RTP may later latch onto the real source. */
    void remote(InetSocketAddress signalled);

    Codec codec();

    /** The codec both ways (negotiated). */
    void codec(Codec codec);

    /** The negotiated RFC 4733 telephone-event payload type (96..127), or -1 for none. */
    void telephoneEvent(int payloadType);

    /** Who hears received keys; null for nobody. */
    void onDtmf(DtmfListener listener);

    /** Queues keys to send as RFC 4733 events (100 ms each, three end packets, 60 ms apart). */
    void sendDtmf(String keys);

    /** Whether received audio also goes through in-band DTMF detection (for peers that send tones as audio). */
    void inbandDtmf(boolean enabled);

    RtpStats stats();

    /** Releases the ports; the stream then reads nothing and sends nothing. Harmless twice. */
    @Override
    void close();
}
