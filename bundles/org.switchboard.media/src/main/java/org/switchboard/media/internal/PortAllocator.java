package org.switchboard.media.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.BitSet;

import org.switchboard.media.rtp.RtpException;

/**
 * Hands out RTP/RTCP port pairs (even, even + 1) from a configured range and takes them back.
 * Allocation goes round the range, so a pair just released is the last one reused: late packets
 * of an ended call do not land in the next call. A port another program holds is skipped and
 * counted. Every allocated pair is released exactly once (closing twice is harmless).
 */
final class PortAllocator {

    /** A bound pair. */
    record Allocation(int port, DatagramChannel rtp, DatagramChannel rtcp, InetSocketAddress local) {
    }

    private final int first;
    private final int last;
    private final BitSet used = new BitSet();
    private final int socketBuffer;
    private int next;
    private long bindFailures;

    /** @param socketBuffer receive and send buffer per socket, bytes (0 = system default) */
    PortAllocator(int first, int last, int socketBuffer) {
        this.first = first % 2 == 0 ? first : first + 1;
        this.last = last;
        this.next = this.first;
        this.socketBuffer = socketBuffer;
    }

    int pairs() {
        return Math.max(0, (last - first + 1) / 2);
    }

    synchronized Allocation allocate(InetAddress bind) throws RtpException {
        int pairs = pairs();
        for (int i = 0; i < pairs; i++) {
            int port = next;
            next = next + 2 > last - 1 ? first : next + 2;
            int index = (port - first) / 2;
            if (used.get(index)) {
                continue;
            }
            DatagramChannel rtp = null;
            DatagramChannel rtcp = null;
            try {
                rtp = open(bind, port);
                rtcp = open(bind, port + 1);
            } catch (IOException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                if (e instanceof java.net.BindException) {
                    bindFailures++;
                    continue;
                }
                throw new RtpException("cannot bind RTP on " + bind.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
            }
            used.set(index);
            return new Allocation(port, rtp, rtcp, new InetSocketAddress(bind, port));
        }
        throw new RtpException("no free RTP port pair in " + first + "-" + last + " on " + bind.getHostAddress() + " ("
                + used.cardinality() + " in use, " + bindFailures + " ports held by other programs); widen "
                + "rtp.port.first/rtp.port.last in etc/org.switchboard.media.cfg");
    }

    private DatagramChannel open(InetAddress bind, int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open(bind instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            if (socketBuffer > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, socketBuffer);
                ch.setOption(StandardSocketOptions.SO_SNDBUF, socketBuffer);
            }
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress(bind, port));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    synchronized void release(Allocation a) {
        closeQuietly(a.rtp());
        closeQuietly(a.rtcp());
        used.clear((a.port() - first) / 2);
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to do: the port is released by the OS either way
            }
        }
    }

    synchronized int inUse() {
        return used.cardinality();
    }

    synchronized long bindFailures() {
        return bindFailures;
    }

    int first() {
        return first;
    }

    int last() {
        return last;
    }
}
