package org.switchboard.media.rtp;

import java.net.InetAddress;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The box's RTP: opens streams on ports of the configured range, and lists them. */
@ProviderType
public interface RtpEngine {

    /**
     * Opens a stream on the next free even port of the range.
     *
     * @param label what the stream belongs to (the leg's id), for the shell
     * @param bind  the local address to bind, e.g. the address the SDP announces
     * @throws RtpException when the range has no free port pair or the address cannot be bound
     */
    RtpStream open(String label, InetAddress bind) throws RtpException;

    /** The streams that are open. */
    List<RtpStream> streams();

    /** How the port range is used. */
    Ports ports();

    /**
     * @param first      first port of the range (even)
     * @param last       last port of the range
     * @param inUse      port pairs held by open streams
     * @param free       port pairs available
     * @param bindFailures ports skipped because another program held them
     */
    record Ports(int first, int last, int inUse, int free, long bindFailures) {
    }
}
