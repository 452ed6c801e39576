package org.switchboard.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.switchboard.media.codec.G711;
import org.switchboard.media.wav.WavReader;

/**
 * Measures what a caller in an IVR menu waits for, which sipp cannot (it gives no per-call RTP
 * timing): calls a DID on the box over SIP/UDP, one call per thread at a time, and for each call
 * <ul>
 * <li>the first prompt packet after the answer: from the 200 OK reaching this program to the
 * first RTP packet of the box;</li>
 * <li>a key to the next prompt: sends one key as RFC 4733 telephone-events (start, continuations
 * every 20 ms for 100 ms, three end packets, as a phone does) and waits for the first packet whose
 * payload is the first frame of the next prompt (the WAV given, G.711 u-law), timed from the
 * first end packet (the key is complete; the box acts on a key at its end, as it must to know it
 * is one key) and from the start packet (the press).</li>
 * </ul>
 * {@code IvrProbe BOX_HOST:SIP_PORT DID CALLS CONCURRENCY NEXT_PROMPT.wav [KEY]}. Times are taken
 * when this program reads a packet, so they include its own scheduling delays (an upper bound).
 * For benchmarks/ivr-load.sh, which runs it beside 800 callers already in the menu.
 */
public final class IvrProbe {

    private static final int EVENT_PT = 101;

    private final InetSocketAddress box;
    private final String did;
    private final byte[] nextFrame;
    private final int key;

    private IvrProbe(InetSocketAddress box, String did, byte[] nextFrame, int key) {
        this.box = box;
        this.did = did;
        this.nextFrame = nextFrame;
        this.key = key;
    }

    /** One probe call's outcome: times in nanoseconds, or a failure. */
    private record Result(long firstPrompt, long keyEndToNext, long keyStartToNext, String failure) {
        static Result failed(String why) {
            return new Result(-1, -1, -1, why);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5 || args.length > 6) {
            System.err.println("usage: IvrProbe BOX_HOST:SIP_PORT DID CALLS CONCURRENCY NEXT_PROMPT.wav [KEY 0-9]");
            System.exit(2);
        }
        String[] hp = args[0].split(":");
        InetSocketAddress box = new InetSocketAddress(InetAddress.getByName(hp[0]), Integer.parseInt(hp[1]));
        int calls = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        short[] prompt = WavReader.readAllMono8k(Path.of(args[4]));
        if (prompt.length < 160) {
            throw new IllegalArgumentException(args[4] + ": shorter than one 20 ms frame");
        }
        byte[] frame = new byte[160];
        G711.encodeUlaw(prompt, 0, frame, 0, 160);
        int key = args.length == 6 ? Integer.parseInt(args[5]) : 1;
        IvrProbe probe = new IvrProbe(box, args[1], frame, key);

        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        List<Future<List<Result>>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                List<Result> mine = new ArrayList<>();
                while (next.getAndIncrement() < calls) {
                    mine.add(probe.call());
                }
                return mine;
            }));
        }
        List<Result> results = new ArrayList<>();
        for (Future<List<Result>> f : workers) {
            results.addAll(f.get());
        }
        pool.shutdown();
        report(results);
    }

    private static void report(List<Result> results) {
        Map<String, Integer> failures = new TreeMap<>();
        List<Long> first = new ArrayList<>();
        List<Long> endToNext = new ArrayList<>();
        List<Long> startToNext = new ArrayList<>();
        for (Result r : results) {
            if (r.failure() != null) {
                failures.merge(r.failure(), 1, Integer::sum);
                continue;
            }
            first.add(r.firstPrompt());
            endToNext.add(r.keyEndToNext());
            startToNext.add(r.keyStartToNext());
        }
        System.out.printf(Locale.ROOT, "probe calls=%d measured=%d failed=%d%n", results.size(), first.size(),
                results.size() - first.size());
        System.out.println("  " + line("answer to first prompt packet", first));
        System.out.println("  " + line("key (end) to next prompt", endToNext));
        System.out.println("  " + line("key (press) to next prompt", startToNext));
        failures.forEach((why, n) -> System.out.printf(Locale.ROOT, "  failed %d: %s%n", n, why));
    }

    private static String line(String what, List<Long> nanos) {
        if (nanos.isEmpty()) {
            return what + ": none";
        }
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%s: p50=%.1f ms p95=%.1f ms max=%.1f ms", what, ms(pct(v, 0.50)),
                ms(pct(v, 0.95)), ms(v[v.length - 1]));
    }

    private static long pct(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private Result call() {
        try (DatagramSocket sip = new DatagramSocket(new InetSocketAddress(box.getAddress(), 0));
             DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(box.getAddress(), 0))) {
            return call(sip, rtp);
        } catch (IOException e) {
            return Result.failed(e.toString());
        }
    }

    private Result call(DatagramSocket sip, DatagramSocket rtp) throws IOException {
        String local = box.getAddress().getHostAddress();
        int sipPort = sip.getLocalPort();
        sip.connect(box);
        String callId = UUID.randomUUID() + "@" + local;
        String tag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String branch = "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String sdp = "v=0\r\no=probe 1 1 IN IP4 " + local + "\r\ns=-\r\nc=IN IP4 " + local + "\r\nt=0 0\r\n"
                + "m=audio " + rtp.getLocalPort() + " RTP/AVP 0 " + EVENT_PT + "\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:" + EVENT_PT + " telephone-event/8000\r\na=fmtp:" + EVENT_PT + " 0-15\r\na=ptime:20\r\n"
                + "a=sendrecv\r\n";
        String uri = "sip:" + did + "@" + box.getAddress().getHostAddress() + ":" + box.getPort();
        String from = "<sip:13800000001@" + local + ">;tag=" + tag;
        String invite = "INVITE " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ":" + sipPort + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: " + from + "\r\nTo: <" + uri + ">\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\nContact: <sip:13800000001@" + local + ":" + sipPort + ">\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;

        // the answer, retransmitting the INVITE as UDP wants until a provisional response comes
        sip.setSoTimeout(500);
        send(sip, invite);
        boolean provisional = false;
        String ok = null;
        long answeredAt = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ok == null) {
            if (System.nanoTime() > deadline) {
                return Result.failed("no final answer to the INVITE in 10 s");
            }
            String response;
            try {
                response = receive(sip);
            } catch (SocketTimeoutException e) {
                if (!provisional) {
                    send(sip, invite);
                }
                continue;
            }
            int status = status(response);
            if (status >= 100 && status < 200) {
                provisional = true;
            } else if (status >= 200 && status < 300) {
                answeredAt = System.nanoTime();
                ok = response;
            } else if (status >= 300) {
                send(sip, "ACK " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP " + local + ":" + sipPort + ";branch="
                        + branch + ";rport\r\nMax-Forwards: 70\r\nFrom: " + from + "\r\nTo: " + header(response, "To")
                        + "\r\nCall-ID: " + callId + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
                return Result.failed("INVITE answered " + status);
            }
        }
        String to = header(ok, "To");
        String target = contactUri(ok, uri);
        InetSocketAddress media = mediaAddress(ok);
        if (media == null) {
            return Result.failed("200 OK without an audio address in its SDP");
        }
        String dialog = "Max-Forwards: 70\r\nFrom: " + from + "\r\nTo: " + to + "\r\nCall-ID: " + callId + "\r\n";
        send(sip, "ACK " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP " + local + ":" + sipPort + ";branch=z9hG4bK"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ";rport\r\n" + dialog
                + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");

        Result result;
        try (Listener listener = new Listener(rtp, nextFrame)) {
            result = listen(rtp, media, answeredAt, listener);
        }

        String bye = "BYE " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP " + local + ":" + sipPort + ";branch=z9hG4bK"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ";rport\r\n" + dialog
                + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
        send(sip, bye);
        long byeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < byeDeadline) {
            try {
                String r = receive(sip);
                if (r.contains("CSeq: 2 BYE") && status(r) >= 200) {
                    return result;
                }
            } catch (SocketTimeoutException e) {
                send(sip, bye);
            }
        }
        return result.failure() != null ? result : Result.failed("BYE not answered in 4 s");
    }

    private Result listen(DatagramSocket rtp, InetSocketAddress media, long answeredAt, Listener listener)
            throws IOException {
        long first = listener.awaitFirst(TimeUnit.SECONDS.toNanos(3));
        if (first < 0) {
            return Result.failed("no prompt packet in 3 s after the answer");
        }
        // listen to the welcome a while, as a caller does, then press the key
        long pressAt = first + TimeUnit.MILLISECONDS.toNanos(600);
        sleepUntil(pressAt);
        byte[] p = new byte[16];
        int ssrc = ThreadLocalRandom.current().nextInt();
        int seq = ThreadLocalRandom.current().nextInt(0x10000);
        int ts = ThreadLocalRandom.current().nextInt();
        listener.arm();
        long start = 0;
        long end = 0;
        long t = System.nanoTime();
        for (int duration = 160; duration <= 800; duration += 160) {
            event(p, duration == 160, seq++, ts, ssrc, key, false, duration);
            sleepUntil(t);
            rtp.send(new DatagramPacket(p, p.length, media));
            if (duration == 160) {
                start = System.nanoTime();
            }
            t += TimeUnit.MILLISECONDS.toNanos(20);
        }
        for (int i = 0; i < 3; i++) {
            event(p, false, seq++, ts, ssrc, key, true, 800);
            sleepUntil(t);
            rtp.send(new DatagramPacket(p, p.length, media));
            if (i == 0) {
                end = System.nanoTime();
            }
            t += TimeUnit.MILLISECONDS.toNanos(20);
        }
        long next = listener.awaitNext(TimeUnit.SECONDS.toNanos(3));
        if (next < 0) {
            return Result.failed("the next prompt did not start within 3 s of the key");
        }
        return new Result(first - answeredAt, next - end, next - start, null);
    }

    private static void event(byte[] p, boolean marker, int seq, int ts, int ssrc, int key, boolean end,
                              int duration) {
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | EVENT_PT);
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ts >> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        p[12] = (byte) key;
        p[13] = (byte) ((end ? 0x80 : 0) | 10);
        p[14] = (byte) (duration >> 8);
        p[15] = (byte) duration;
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    /** Reads the box's RTP for one call: when its first packet came, and when the next prompt's first frame did. */
    private static final class Listener implements AutoCloseable {
        private final DatagramSocket socket;
        private final byte[] nextFrame;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean armed;
        private volatile long first = -1;
        private volatile long next = -1;

        Listener(DatagramSocket socket, byte[] nextFrame) throws IOException {
            this.socket = socket;
            this.nextFrame = nextFrame;
            socket.setSoTimeout(50);
            thread = new Thread(this::run, "probe-rtp");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            byte[] buf = new byte[1500];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (running) {
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                long at = System.nanoTime();
                if (first < 0) {
                    first = at;
                }
                int header = 12 + 4 * (buf[0] & 0x0F);
                if (armed && next < 0 && p.getLength() - header == nextFrame.length
                        && Arrays.equals(buf, header, header + nextFrame.length, nextFrame, 0, nextFrame.length)) {
                    next = at;
                }
            }
        }

        void arm() {
            armed = true;
        }

        long awaitFirst(long timeoutNanos) {
            return await(timeoutNanos, true);
        }

        long awaitNext(long timeoutNanos) {
            return await(timeoutNanos, false);
        }

        private long await(long timeoutNanos, boolean firstPacket) {
            long deadline = System.nanoTime() + timeoutNanos;
            while (System.nanoTime() < deadline) {
                long v = firstPacket ? first : next;
                if (v >= 0) {
                    return v;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return -1;
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void send(DatagramSocket s, String message) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length)); // the socket is connected to the box
    }

    private static String receive(DatagramSocket s) throws IOException {
        byte[] buf = new byte[8192];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static int status(String response) {
        if (!response.startsWith("SIP/2.0 ")) {
            return -1;
        }
        try {
            return Integer.parseInt(response.substring(8, 11));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String header(String message, String name) {
        for (String l : message.split("\r\n")) {
            if (l.isEmpty()) {
                break;
            }
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return l.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String contactUri(String response, String otherwise) {
        String c = header(response, "Contact");
        int lt = c.indexOf('<');
        int gt = c.indexOf('>');
        return lt >= 0 && gt > lt ? c.substring(lt + 1, gt) : otherwise;
    }

    private static InetSocketAddress mediaAddress(String response) {
        int body = response.indexOf("\r\n\r\n");
        if (body < 0) {
            return null;
        }
        String address = null;
        int port = -1;
        for (String l : response.substring(body + 4).split("\r?\n")) {
            if (l.startsWith("c=IN IP4 ")) {
                address = l.substring(9).trim();
            } else if (l.startsWith("m=audio ")) {
                port = Integer.parseInt(l.split(" ")[1]);
            }
        }
        return address == null || port <= 0 ? null : new InetSocketAddress(address, port);
    }
}
