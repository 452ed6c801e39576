package org.switchboard.media.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network thread of RTP: one selector over every stream's sockets; it only copies datagrams
 * into the streams' rings (and reads RTCP), so it never waits for the media clock and the clock
 * never waits for it. Registration is handed to it through a queue, as a selector wants.
 */
final class RtpReceiver implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RtpReceiver.class);

    private final Selector selector;
    private final Thread thread;
    private final Queue<RtpStreamImpl> toRegister = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> toRetire = new ConcurrentLinkedQueue<>();
    private final java.util.List<Runnable> retiring = new java.util.ArrayList<>();
    /** Larger than any datagram a stream keeps, so a full buffer means "oversized". */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
    private volatile boolean running = true;
    private final long coalesceNanos;

    /** @param coalesceMicros how long to let packets gather after a round of reading (0: never wait) */
    RtpReceiver(int index, int coalesceMicros) throws IOException {
        this.coalesceNanos = coalesceMicros * 1000L;
        this.selector = Selector.open();
        this.thread = new Thread(this, "switchboard-rtp-" + index);
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MAX_PRIORITY - 1);
    }

    void start() {
        thread.start();
    }

    /** Whether the thread still runs (after stop, streams release their ports directly). */
    boolean running() {
        return running;
    }

    void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(1000);
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the RTP selector", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops reading a stream's sockets; {@code release} runs on this thread once the selector has
     * let go of them, so closing really frees the ports before they are handed out again.
     */
    void retire(RtpStreamImpl stream, Runnable release) {
        toRetire.add(() -> {
            for (java.nio.channels.DatagramChannel ch : new java.nio.channels.DatagramChannel[] {stream.ports().rtp(), stream.ports().rtcp()}) {
                SelectionKey key = ch.keyFor(selector);
                if (key != null) {
                    key.cancel();
                }
            }
            retiring.add(release);
        });
        selector.wakeup();
    }

    void register(RtpStreamImpl stream) {
        toRegister.add(stream);
        selector.wakeup();
    }

    @Override
    public void run() {
        while (running) {
            try {
                int ready = selector.select(this::ready, retiring.isEmpty() ? 1000 : 1);
                if (ready > 0 && coalesceNanos > 0) {
                    // let a few more packets arrive before the next round: far fewer wake-ups
                    // under load, for a delay well under a millisecond
                    java.util.concurrent.locks.LockSupport.parkNanos(coalesceNanos);
                }
                // the select above deregistered the keys cancelled before it: now the sockets close at once
                for (Runnable r : retiring) {
                    r.run();
                }
                retiring.clear();
                for (Runnable r = toRetire.poll(); r != null; r = toRetire.poll()) {
                    r.run();
                }
                for (RtpStreamImpl s = toRegister.poll(); s != null; s = toRegister.poll()) {
                    if (!s.closed()) {
                        try {
                            s.ports().rtp().register(selector, SelectionKey.OP_READ, s);
                            s.ports().rtcp().register(selector, SelectionKey.OP_READ, s);
                        } catch (ClosedChannelException e) {
                            // closed between open and registration: nothing to read
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    LOG.error("RTP receive loop failed; it goes on", e);
                }
            }
        }
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        RtpStreamImpl s = (RtpStreamImpl) key.attachment();
        DatagramChannel ch = (DatagramChannel) key.channel();
        if (ch == s.ports().rtp()) {
            s.readable(ch, buffer);
        } else {
            s.rtcpReadable(ch, buffer);
        }
    }
}
