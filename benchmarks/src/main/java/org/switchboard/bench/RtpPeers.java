package org.switchboard.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * The far ends of N bridged calls: two RTP peers per call, each sending 50 packets/s of 20 ms
 * µ-law to its leg of the box and receiving what the box relays from the other one. Each packet
 * carries its send time in its payload (in µ-law codes that survive decoding and re-encoding), so
 * the receiver measures the box's added delay per hop; sequence numbers give the loss.
 *
 * <pre>java -cp benchmarks.jar org.switchboard.bench.RtpPeers PORTS_FILE SECONDS [WARMUP_SECONDS]</pre>
 */
public final class RtpPeers {

    private RtpPeers() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        int seconds = Integer.parseInt(args[1]);
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        InetAddress lo = InetAddress.getLoopbackAddress();
        int calls = lines.size();
        int peers = calls * 2;
        DatagramChannel[] ch = new DatagramChannel[peers];
        InetSocketAddress[] box = new InetSocketAddress[peers];
        for (int i = 0; i < calls; i++) {
            String[] p = lines.get(i).trim().split(" ");
            for (int side = 0; side < 2; side++) {
                int k = 2 * i + side;
                ch[k] = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
                ch[k].setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                ch[k].setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
                ch[k].configureBlocking(false);
                box[k] = new InetSocketAddress(lo, Integer.parseInt(p[side]));
            }
        }
        long[] expectedSeq = new long[peers];
        long[] received = new long[peers];
        long[] lost = new long[peers];
        Histogram latency = new Histogram(10_000_000_000L, 3);
        boolean[] measuring = {false};

        Thread receiver = new Thread(() -> {
            try (Selector sel = Selector.open()) {
                for (int k = 0; k < peers; k++) {
                    ch[k].register(sel, SelectionKey.OP_READ, k);
                }
                ByteBuffer buf = ByteBuffer.allocate(2048);
                while (!Thread.currentThread().isInterrupted()) {
                    sel.select(key -> {
                        int k = (Integer) key.attachment();
                        try {
                            while (true) {
                                buf.clear();
                                if (((DatagramChannel) key.channel()).receive(buf) == null) {
                                    return;
                                }
                                long now = System.nanoTime();
                                byte[] a = buf.array();
                                if (buf.position() < 12 + 16 || (a[1] & 0x7F) != 0) {
                                    continue;
                                }
                                long sent = 0;
                                for (int n = 0; n < 16; n++) {
                                    sent = (sent << 4) | (a[12 + n] & 0x0F);
                                }
                                // the sender's own sequence number, carried in the payload end to end
                                int seq = 0;
                                for (int n = 16; n < 20; n++) {
                                    seq = (seq << 4) | (a[12 + n] & 0x0F);
                                }
                                if (received[k] > 0) {
                                    int gap = (seq - (int) expectedSeq[k]) & 0xFFFF;
                                    if (gap < 1000 && measuring[0]) {
                                        lost[k] += gap;
                                    }
                                }
                                expectedSeq[k] = (seq + 1) & 0xFFFF;
                                if (measuring[0]) {
                                    received[k]++;
                                    latency.recordValue(Math.max(0, now - sent));
                                } else {
                                    received[k] = Math.max(received[k], 1);
                                }
                            }
                        } catch (Exception e) {
                            // a closed channel at the end
                        }
                    }, 100);
                }
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "peers-rx");
        receiver.setDaemon(true);
        receiver.start();

        byte[] packet = new byte[172];
        ByteBuffer out = ByteBuffer.wrap(packet);
        java.util.Arrays.fill(packet, 12, 172, (byte) 0xD5);
        int[] seq = new int[peers];
        long start = System.nanoTime();
        long next = start;
        long sentCount = 0;
        long sendFailures = 0;
        long end = start + (long) (warmup + seconds) * 1_000_000_000L;
        long spread = 20_000_000L / Math.max(1, peers);
        while (System.nanoTime() < end) {
            measuring[0] = System.nanoTime() > start + warmup * 1_000_000_000L;
            for (int k = 0; k < peers; k++) {
                long slot = next + k * spread;
                long wait = slot - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
                packet[0] = (byte) 0x80;
                packet[1] = 0;
                packet[2] = (byte) (seq[k] >> 8);
                packet[3] = (byte) seq[k];
                int ts = seq[k] * 160;
                packet[4] = (byte) (ts >> 24);
                packet[5] = (byte) (ts >> 16);
                packet[6] = (byte) (ts >> 8);
                packet[7] = (byte) ts;
                int ssrc = 0x10000 + k;
                packet[8] = (byte) (ssrc >> 24);
                packet[9] = (byte) (ssrc >> 16);
                packet[10] = (byte) (ssrc >> 8);
                packet[11] = (byte) ssrc;
                long now = System.nanoTime();
                for (int n = 15; n >= 0; n--) {
                    packet[12 + n] = (byte) (0x80 | (now & 0x0F)); // µ-law codes 0x80..0x8F survive decode+encode
                    now >>>= 4;
                }
                int s = seq[k];
                for (int n = 19; n >= 16; n--) {
                    packet[12 + n] = (byte) (0x80 | (s & 0x0F));
                    s >>>= 4;
                }
                out.clear();
                if (ch[k].send(out, box[k]) == 0) {
                    sendFailures++;
                }
                seq[k] = (seq[k] + 1) & 0xFFFF;
                sentCount++;
            }
            next += 20_000_000L;
        }
        Thread.sleep(500);
        receiver.interrupt();
        long totalReceived = 0;
        long totalLost = 0;
        for (int k = 0; k < peers; k++) {
            totalReceived += received[k];
            totalLost += lost[k];
        }
        double lossPct = 100.0 * totalLost / Math.max(1, totalLost + totalReceived);
        System.out.printf("calls=%d packets_sent=%d send_failures=%d received_in_window=%d lost=%d loss=%.3f%%%n",
                calls, sentCount, sendFailures, totalReceived, totalLost, lossPct);
        System.out.printf("added_delay_per_hop_ms p50=%.3f p99=%.3f p999=%.3f max=%.3f%n",
                latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6);
    }
}
