package org.switchboard.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The real SIP peers the SIP tests drive the appliance with: sipp (Debian sip-tester) running the
 * scenarios in src/test/resources/sipp, and baresip as the second user agent (a softphone that
 * registers, answers, sends RTP and DTMF, hangs up when told over its control socket).
 */
final class Peers {

    private Peers() {
    }

    /** The first of {@code n} consecutive ports free for UDP and TCP on 127.0.0.1 (30000-39999). */
    static int freeBlock(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 30000 + ThreadLocalRandom.current().nextInt(9000);
            if (free(base, n)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports in 30000-39999");
    }

    private static boolean free(int base, int n) {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            for (int p = base; p < base + n; p++) {
                held.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", p)));
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress("127.0.0.1", p));
                held.add(s);
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (AutoCloseable c : held) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // a probe socket
                }
            }
        }
    }

    /** A WAV file baresip can send: 8 kHz mono 16-bit, a sine tone of {@code hz} for {@code seconds}. */
    static Path toneWav(Path file, int hz, int seconds) throws IOException {
        int samples = 8000 * seconds;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000)
                .putInt(16000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0)));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
        return file;
    }

    /** Fails with the Debian package to install when a tool is missing. */
    static void require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError(tool + " is not installed; install the Debian package " + debianPackage
                + " (the README's test command does it when run as root)");
    }

    /** One sipp run: its scenario and arguments, its output in a file of the work directory. */
    static final class Sipp {
        final Process process;
        final Path log;
        final Path dir;

        private Sipp(Process process, Path log, Path dir) {
            this.process = process;
            this.log = log;
            this.dir = dir;
        }

        /**
         * Starts sipp in {@code dir} (where the scenarios and tone.ulaw are) with the common flags: loopback,
         * one call, its own timeout, no terminal.
         */
        static Sipp start(Path dir, String name, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("sipp"));
            cmd.addAll(args);
            cmd.addAll(List.of("-m", "1", "-timeout", "40s", "-timeout_error", "-nostdin", "-trace_err", "-trace_msg",
                    "-message_file", name + ".messages", "-error_file", name + ".errors"));
            Path log = dir.resolve(name + ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("TERM", "dumb");
            return new Sipp(pb.start(), log, dir);
        }

        /** sipp's exit code: 0 every call passed, 1 a call failed, 255 fatal or timed out; -1 when killed here. */
        int await(Duration limit) throws InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                return -1;
            }
            return process.exitValue();
        }

        /** What sipp saw, for assertion messages. */
        String report() {
            StringBuilder sb = new StringBuilder();
            for (String f : new String[] {log.getFileName().toString(), name() + ".errors", name() + ".messages"}) {
                Path p = dir.resolve(f);
                try {
                    if (Files.exists(p)) {
                        String s = Files.readString(p, StandardCharsets.ISO_8859_1);
                        sb.append("--- ").append(f).append('\n').append(s.length() > 6000 ? s.substring(s.length() - 6000) : s);
                    }
                } catch (IOException e) {
                    sb.append(f).append(": ").append(e.getMessage());
                }
            }
            return sb.toString();
        }

        private String name() {
            String f = log.getFileName().toString();
            return f.substring(0, f.length() - ".out".length());
        }

        /**
         * Bytes of RTP waiting on sipp's media socket when the scenario took its snapshot (sipp never reads
         * it): above 0 means audio came back through the box. -1 when there is no snapshot.
         */
        long rtpQueued(int mediaPort) throws IOException {
            try (var files = Files.newDirectoryStream(dir, "rtp_rxq_" + process.pid() + ".txt")) {
                for (Path f : files) {
                    for (String line : Files.readAllLines(f)) {
                        String[] c = line.trim().split("\\s+"); // State Recv-Q Send-Q Local Peer
                        if (c.length > 3 && c[3].endsWith(":" + mediaPort)) {
                            return Long.parseLong(c[1]);
                        }
                    }
                }
            }
            return -1;
        }
    }

    /** baresip with its own configuration directory, driven over its ctrl_tcp socket. */
    static final class Baresip implements AutoCloseable {
        final Process process;
        final int sipPort;
        final int ctrlPort;
        final Path dir;

        private Baresip(Process process, Path dir, int sipPort, int ctrlPort) {
            this.process = process;
            this.dir = dir;
            this.sipPort = sipPort;
            this.ctrlPort = ctrlPort;
        }

        /**
         * @param base    first of 104 free ports: SIP (and TLS on base+1), control on base+2, RTP from base+4
         * @param accounts baresip account lines
         */
        static Baresip start(Path dir, int base, Path toneWav, List<String> accounts) throws Exception {
            Files.createDirectories(dir);
            String config = String.join("\n",
                    "poll_method epoll",
                    "sip_listen 127.0.0.1:" + base,
                    "net_interface 127.0.0.1",
                    "call_local_timeout 120",
                    "call_max_calls 4",
                    "audio_path /usr/share/baresip",
                    "audio_source aufile," + toneWav,
                    "audio_player aubridge,nullsink",
                    "audio_alert aubridge,nullsink",
                    "ausrc_format s16", "auplay_format s16", "auenc_format s16", "audec_format s16",
                    "audio_buffer 20-160",
                    "rtp_ports " + (base + 4) + "-" + (base + 103),
                    "rtcp_mux no",
                    "jitter_buffer_delay 5-10",
                    "rtp_stats yes",
                    "module_path /usr/lib/baresip/modules",
                    "module g711.so", "module aufile.so", "module aubridge.so",
                    "module_tmp uuid.so", "module_tmp account.so",
                    "module_app menu.so", "module_app ctrl_tcp.so",
                    "ctrl_tcp_listen 127.0.0.1:" + (base + 2), "");
            Files.writeString(dir.resolve("config"), config);
            Files.writeString(dir.resolve("accounts"), String.join("\n", accounts) + "\n");
            ProcessBuilder pb = new ProcessBuilder("baresip", "-f", dir.toString(), "-t", "600").directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("baresip.out").toFile());
            Baresip b = new Baresip(pb.start(), dir, base, base + 2);
            Appliance.waitFor("baresip's control socket", Duration.ofSeconds(20), b::controlAnswers);
            return b;
        }

        private boolean controlAnswers() {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ctrlPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Sends one command; returns baresip's JSON response (with "ok":true or false). */
        String command(String command, String params) throws IOException {
            String json = "{\"command\":\"" + command + "\",\"token\":\"t\""
                    + (params == null ? "" : ",\"params\":\"" + params + "\"") + "}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ctrlPort)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.write(',');
                out.flush();
                InputStream in = s.getInputStream();
                while (true) {
                    String msg = netstring(in);
                    if (msg == null) {
                        return "";
                    }
                    if (msg.contains("\"response\":true")) {
                        return msg;
                    }
                }
            }
        }

        private static String netstring(InputStream in) throws IOException {
            StringBuilder len = new StringBuilder();
            int c;
            while ((c = in.read()) != ':') {
                if (c < 0) {
                    return null;
                }
                len.append((char) c);
            }
            byte[] b = in.readNBytes(Integer.parseInt(len.toString().trim()));
            in.read(); // the ','
            return new String(b, StandardCharsets.UTF_8);
        }

        String output() {
            try {
                return Files.readString(dir.resolve("baresip.out"));
            } catch (IOException e) {
                return e.getMessage();
            }
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                try {
                    command("quit", null);
                } catch (IOException e) {
                    // it may be gone already
                }
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
