package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated SIP configuration. Unlike the core's, a wrong address or port cannot be replaced
 * by a default that would silently listen somewhere else: {@link #problems()} names each bad key,
 * and the component keeps its previous stack running (or starts none) until they are fixed.
 */
record SipOptions(InetAddress bind, InetAddress announced, int udpPort, int tcpPort, int tlsPort, Path keystore,
                  String keystorePassword, String realm, List<Digest.Algorithm> algorithms, int minExpires, int maxExpires, SourceGuard.Limits limits,
                  Duration natKeepalive, Duration rtpTimeout, int overloadDelayMs, int threads, List<String> problems) {

    static final String FILE = "etc/org.switchboard.sip.cfg";

    static SipOptions from(SipConfig c) {
        List<String> problems = new ArrayList<>();
        InetAddress bind = address(c.bind_address(), "bind.address", problems);
        InetAddress announced = c.public_address() == null || c.public_address().isBlank() ? bind
                : address(c.public_address(), "public.address", problems);
        int udp = port(c.udp_port(), "udp.port", problems);
        int tcp = port(c.tcp_port(), "tcp.port", problems);
        int tls = port(c.tls_port(), "tls.port", problems);
        if (udp == 0 && tcp == 0 && tls == 0) {
            problems.add("udp.port, tcp.port and tls.port are all 0; at least one transport is needed");
        }
        Path keystore = c.tls_keystore() == null || c.tls_keystore().isBlank() ? null : Path.of(c.tls_keystore());
        if (tls != 0 && (keystore == null || !Files.isReadable(keystore))) {
            problems.add("tls.port = " + tls + " needs tls.keystore naming a readable PKCS#12 file"
                    + (keystore == null ? "" : "; " + keystore + " is not readable"));
        }
        String realm = c.realm() == null ? "" : c.realm().trim();
        if (!realm.matches("[A-Za-z0-9.@_-]{1,64}")) {
            problems.add("realm = '" + realm + "' is not allowed; allowed: 1-64 of A-Z a-z 0-9 . @ _ -");
        }
        List<Digest.Algorithm> algorithms = new ArrayList<>();
        for (String a : (c.digest_algorithms() == null ? "" : c.digest_algorithms()).split("[,\\s]+")) {
            if (a.isEmpty()) {
                continue;
            }
            Digest.Algorithm alg = Digest.Algorithm.of(a);
            if (alg == null || !(a.equalsIgnoreCase("MD5") || a.equalsIgnoreCase("SHA-256"))) {
                problems.add("digest.algorithms: '" + a + "' is not allowed; allowed: MD5, SHA-256");
            } else if (!algorithms.contains(alg)) {
                algorithms.add(alg);
            }
        }
        if (algorithms.isEmpty()) {
            algorithms.add(Digest.Algorithm.MD5);
            algorithms.add(Digest.Algorithm.SHA_256);
        }
        int min = range(c.registration_min_seconds(), 30, 3600, "registration.min.seconds", problems);
        int max = range(c.registration_max_seconds(), Math.max(60, min), 86400, "registration.max.seconds", problems);
        int failures = range(c.lockout_failures(), 1, 100, "lockout.failures", problems);
        int window = range(c.lockout_window_seconds(), 1, 86400, "lockout.window.seconds", problems);
        int lockout = range(c.lockout_seconds(), 1, 604800, "lockout.seconds", problems);
        double invites = rate(c.rate_invite_per_second(), "rate.invite.per.second", problems);
        double registers = rate(c.rate_register_per_second(), "rate.register.per.second", problems);
        int keepalive = range(c.nat_keepalive_seconds(), 0, 3600, "nat.keepalive.seconds", problems);
        int rtpTimeout = c.rtp_timeout_seconds();
        if (rtpTimeout != 0 && (rtpTimeout < 10 || rtpTimeout > 3600)) {
            problems.add("rtp.timeout.seconds = " + rtpTimeout + " is not allowed; allowed: 0 (off) or 10..3600");
            rtpTimeout = 60;
        }
        int backlog = c.overload_delay_ms();
        if (backlog != 0 && (backlog < 50 || backlog > 10000)) {
            problems.add("overload.delay.ms = " + backlog + " is not allowed; allowed: 0 (off) or 50..10000");
            backlog = 0;
        }
        int threads = range(c.threads(), 1, 64, "threads", problems);
        return new SipOptions(bind, announced, udp, tcp, tls, keystore, c.tls_keystore_password(), realm,
                List.copyOf(algorithms), min, max,
                new SourceGuard.Limits(failures, Duration.ofSeconds(window), Duration.ofSeconds(lockout), invites, registers),
                Duration.ofSeconds(keepalive), Duration.ofSeconds(rtpTimeout), backlog, threads, List.copyOf(problems));
    }

    private static InetAddress address(String text, String key, List<String> problems) {
        String t = text == null ? "" : text.trim();
        if (!t.matches("[0-9a-fA-F:.]+")) {
            problems.add(key + " = '" + t + "' is not allowed; allowed: an IP address of this box, e.g. 192.168.1.10");
            return InetAddress.getLoopbackAddress();
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            problems.add(key + " = '" + t + "' is not an IP address");
            return InetAddress.getLoopbackAddress();
        }
    }

    private static int port(int p, String key, List<String> problems) {
        if (p < 0 || p > 65535) {
            problems.add(key + " = " + p + " is not allowed; allowed: 0 (off) or 1..65535");
            return 0;
        }
        return p;
    }

    private static int range(int v, int min, int max, String key, List<String> problems) {
        if (v < min || v > max) {
            problems.add(key + " = " + v + " is not allowed; allowed: " + min + ".." + max);
            return Math.max(min, Math.min(max, v));
        }
        return v;
    }

    private static double rate(double v, String key, List<String> problems) {
        if (!(v >= 0.1 && v <= 100000)) {
            problems.add(key + " = " + v + " is not allowed; allowed: 0.1..100000");
            return 10;
        }
        return v;
    }
}
