package org.switchboard.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firmware image with real SIP peers on 127.0.0.1: sipp plays phones and a carrier, baresip is
 * a softphone registered as 1002 (answers at once) and 1003 (rings until cancelled). The box's SIP
 * port is a free one; everything else is as shipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SipIT {

    private static final String CARRIER = "127.0.0.2";
    private static Appliance box;
    private static String admin;
    private static int sipPort;
    private static int base;
    private static int tlsPort;
    private static final String tlsPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    private static Path scenarios;
    private static Peers.Baresip softphone;
    private static final java.util.Map<String, String> passwords = new java.util.HashMap<>();
    private static final String trunkPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));

    @BeforeAll
    static void boot() throws Exception {
        Peers.require("sipp", "sip-tester");
        Peers.require("baresip", "baresip");
        box = Appliance.unpack("sip");
        base = Peers.freeBlock(16 + 104 + 1); // the box and sipp, the softphone's SIP, control and RTP ports, then TLS
        sipPort = base;
        tlsPort = base + 120;
        // the box's TLS certificate: a PKCS#12 keystore made for this run, with a password of this run
        Path keystore = box.home.resolve("etc/sip-tls.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "box", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", tlsPassword, "-keypass", tlsPassword).redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        box.configure("org.switchboard.sip.cfg", Map.of("udp.port", Integer.toString(sipPort), "tcp.port",
                Integer.toString(sipPort), "lockout.failures", "3", "rtp.timeout.seconds", "10",
                "tls.port", Integer.toString(tlsPort), "tls.keystore", keystore.toString(), "tls.keystore.password", tlsPassword));
        box.start();
        admin = box.initialAdminPassword();
        box.awaitReady("admin", admin);
        Appliance.waitFor("SIP to listen", Duration.ofSeconds(60), () -> shell("sip:status").contains("running on 127.0.0.1"));

        scenarios = box.home.resolve("sipp");
        Files.createDirectories(scenarios);
        for (String f : new String[] {"register.xml", "register_wrong.xml", "call.xml", "call_until_bye.xml", "call_silent.xml", "cancel.xml",
                "refused.xml", "carrier_register.xml", "carrier_answer.xml", "carrier_early.xml", "carrier_options.xml", "call_keys.xml",
                "agent_hangs_up.xml", "call_rate.xml", "tone.ulaw"}) {
            try (InputStream in = SipIT.class.getResourceAsStream("/sipp/" + f)) {
                Files.copy(in, scenarios.resolve(f));
            }
        }
        for (String ext : new String[] {"1001", "1002", "1003", "1004"}) {
            String flags = ext.equals("1001") ? " --dial-out" : "";
            Appliance.Result r = box.exec("admin", admin, "sip:extensions add " + ext + " --name Agent-" + ext + flags);
            Matcher m = Pattern.compile("shown once\\): (\\S+)").matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            passwords.put(ext, m.group(1));
        }
        int phone = base + 16;
        String proxy = ";outbound=\"sip:127.0.0.1:" + sipPort + ";transport=udp\";regint=600;audio_codecs=pcmu,pcma;ptime=20";
        softphone = Peers.Baresip.start(box.home.resolve("baresip"), phone,
                Peers.toneWav(box.home.resolve("baresip/tone.wav"), 600, 60), List.of(
                        "<sip:1002@127.0.0.1;transport=udp>;auth_pass=" + passwords.get("1002") + ";answermode=auto" + proxy,
                        "<sip:1003@127.0.0.1;transport=udp>;auth_pass=" + passwords.get("1003") + ";answermode=manual" + proxy));
        Appliance.waitFor("baresip to register 1002 and 1003", Duration.ofSeconds(30), () -> {
            String r = shell("sip:registrations");
            return r.contains("1002") && r.contains("1003");
        });
    }

    @AfterAll
    static void shutdown() throws Exception {
        try {
            if (softphone != null) {
                softphone.close();
            }
        } finally {
            if (box != null) {
                box.close();
            }
        }
    }

    private static String shell(String command) {
        try {
            return box.exec("admin", admin, command).out();
        } catch (Exception e) {
            return "";
        }
    }

    /** sipp as a phone on 127.0.0.1 (SIP port base+1, control base+2, media base+4 and base+6). */
    private static Peers.Sipp phone(String name, String scenario, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("127.0.0.1:" + sipPort, "-i", "127.0.0.1", "-mi", "127.0.0.1",
                "-p", Integer.toString(base + 1), "-cp", Integer.toString(base + 2), "-mp", Integer.toString(base + 4),
                "-recv_timeout", "15s", "-sf", scenario));
        a.addAll(List.of(args));
        return Peers.Sipp.start(scenarios, name, a);
    }

    private static int run(Peers.Sipp sipp) throws InterruptedException {
        return sipp.await(Duration.ofSeconds(60));
    }

    private static void assertNoCalls() throws InterruptedException {
        Appliance.waitFor("no calls left", Duration.ofSeconds(15), () -> shell("call:list").contains("no calls"));
    }

    @Test
    @Order(1)
    void phonesRegisterWithTheRightPasswordOverUdpAndTcpAndTheWrongOneIsRefused() throws Exception {
        Peers.Sipp right = phone("register-right", "register.xml", "-s", "1001", "-au", "1001", "-ap", passwords.get("1001"));
        assertThat(run(right)).as(right.report()).isZero();
        assertThat(shell("sip:registrations")).containsPattern("1001\\s*\\|\\s*sip:1001@127.0.0.1:" + (base + 1));

        Peers.Sipp tcp = phone("register-tcp", "register.xml", "-t", "t1", "-s", "1004", "-au", "1004", "-ap", passwords.get("1004"));
        assertThat(run(tcp)).as(tcp.report()).isZero();
        assertThat(shell("sip:registrations")).containsPattern("1004\\s*\\|.*\\|\\s*tcp\\s*\\|");
        // a second phone of the same extension (here over UDP): both are kept
        Peers.Sipp second = phone("register-second", "register.xml", "-s", "1004", "-au", "1004", "-ap", passwords.get("1004"));
        assertThat(run(second)).as(second.report()).isZero();
        assertThat(shell("sip:registrations")).containsPattern("1004\\s*\\|.*\\|\\s*tcp\\s*\\|")
                .containsPattern("1004\\s*\\|.*\\|\\s*udp\\s*\\|");

        Peers.Sipp wrong = phone("register-wrong", "register_wrong.xml", "-s", "1001", "-au", "1001", "-ap", "not-the-password");
        assertThat(run(wrong)).as(wrong.report()).isZero();
    }

    @Test
    @Order(2)
    void aPasswordGuesserIsLockedOutUntilTheTechnicianUnblocksIt() throws Exception {
        // lockout.failures = 3 (the wrong REGISTER before may count too)
        for (int i = 0; i < 3 && !shell("sip:blocked").contains("127.0.0.1"); i++) {
            Peers.Sipp wrong = phone("guess-" + i, "register_wrong.xml", "-s", "1003", "-au", "1003", "-ap", "guess" + i);
            assertThat(run(wrong)).as(wrong.report()).isZero();
        }
        assertThat(shell("sip:blocked")).contains("127.0.0.1").contains("1003");

        try {
            Peers.Sipp locked = phone("register-locked", "register.xml", "-s", "1001", "-au", "1001", "-ap", passwords.get("1001"),
                    "-recv_timeout", "3s");
            assertThat(run(locked)).as("a locked-out source gets no answer at all").isNotZero();
            assertThat(Files.readString(locked.log)).contains("receive timeout on message register_auth:1");
        } finally {
            assertThat(shell("sip:unblock 127.0.0.1")).contains("127.0.0.1 unblocked");
        }
        assertThat(shell("sip:blocked")).doesNotContain("127.0.0.1");
        Peers.Sipp again = phone("register-again", "register.xml", "-s", "1001", "-au", "1001", "-ap", passwords.get("1001"));
        assertThat(run(again)).as(again.report()).isZero();
    }

    @Test
    @Order(3)
    void anExtensionCallsAnotherWithAudioBothWaysAndKeysArriveAsDtmf() throws Exception {
        Peers.Sipp caller = phone("ext-call", "call.xml", "-s", "1002", "-key", "caller", "1001", "-au", "1001", "-ap",
                passwords.get("1001"), "-d", "8000");
        Appliance.waitFor("the call to be bridged", Duration.ofSeconds(20),
                () -> Pattern.compile("BRIDGED").matcher(shell("call:list")).results().count() == 2);
        Appliance.waitFor("RTP both ways on both legs", Duration.ofSeconds(15), () -> {
            List<long[]> s = streams();
            return s.size() == 2 && s.stream().allMatch(x -> x[0] > 25 && x[1] > 25);
        });
        Matcher call = Pattern.compile("(\\S+)\\s*\\|\\s*(\\S+)\\s*\\|[^\\n]*\\|\\s*out\\s*\\|").matcher(shell("call:list"));
        assertThat(call.find()).as(shell("call:list")).isTrue();
        String softphoneLeg = call.group(2);

        assertThat(softphone.command("uafind", "sip:1002@127.0.0.1")).contains("\"ok\":true");
        assertThat(softphone.command("sndcode", "5")).contains("\"ok\":true");
        Appliance.waitFor("the key from the softphone as a DTMF event", Duration.ofSeconds(10),
                () -> shell("call:show " + call.group(1)).contains("keys:    5"));
        assertThat(shell("call:show " + call.group(1))).contains(softphoneLeg);

        assertThat(run(caller)).as(caller.report()).isZero();
        assertThat(caller.rtpQueued(base + 4)).as("RTP from the softphone reached sipp through the box").isPositive();
        assertNoCalls();
    }

    /** IN and OUT packets of each RTP stream of media:streams. */
    private static List<long[]> streams() {
        List<long[]> out = new ArrayList<>();
        for (String line : shell("media:streams").split("\n")) {
            String[] c = line.split("\\|");
            if (c.length > 6 && c[4].trim().matches("\\d+") && c[5].trim().matches("\\d+")) {
                out.add(new long[] {Long.parseLong(c[4].trim()), Long.parseLong(c[5].trim())});
            }
        }
        return out;
    }

    @Test
    @Order(4)
    void aCallerWhoHangsUpBeforeTheAnswerStopsTheRinging() throws Exception {
        Peers.Sipp caller = phone("cancel", "cancel.xml", "-s", "1003", "-key", "caller", "1001", "-au", "1001", "-ap",
                passwords.get("1001"), "-d", "1500");
        Appliance.waitFor("the softphone to ring", Duration.ofSeconds(15), () -> shell("call:list").contains("ALERTING")
                || shell("call:list").contains("RINGING"));
        assertThat(run(caller)).as(caller.report()).isZero(); // 200 for the CANCEL, 487 for the INVITE
        assertNoCalls();
        Appliance.waitFor("the softphone to stop ringing", Duration.ofSeconds(10),
                () -> {
                    try {
                        return !softphone.command("listcalls", null).contains("1001");
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    @Test
    @Order(5)
    void eitherSideHangsUpWithBye() throws Exception {
        // the softphone hangs up: the box sends BYE to the caller
        Peers.Sipp caller = phone("bye-far", "call_until_bye.xml", "-s", "1002", "-key", "caller", "1001", "-au", "1001", "-ap",
                passwords.get("1001"));
        Appliance.waitFor("the call to be bridged", Duration.ofSeconds(20), () -> shell("call:list").contains("BRIDGED"));
        assertThat(softphone.command("uafind", "sip:1002@127.0.0.1")).contains("\"ok\":true");
        assertThat(softphone.command("hangup", null)).contains("\"ok\":true");
        assertThat(run(caller)).as(caller.report()).isZero();
        assertNoCalls();

        // the technician hangs up: both phones get BYE
        caller = phone("bye-box", "call_until_bye.xml", "-s", "1002", "-key", "caller", "1001", "-au", "1001", "-ap",
                passwords.get("1001"));
        Appliance.waitFor("the call to be bridged", Duration.ofSeconds(20), () -> shell("call:list").contains("BRIDGED"));
        Matcher m = Pattern.compile("(\\S+)\\s*\\|[^\\n]*BRIDGED").matcher(shell("call:list"));
        assertThat(m.find()).isTrue();
        assertThat(shell("call:hangup " + m.group(1))).contains("hung up");
        assertThat(run(caller)).as(caller.report()).isZero();
        assertNoCalls();
        Appliance.waitFor("the softphone to hang up too", Duration.ofSeconds(10), () -> {
            try {
                return !softphone.command("listcalls", null).contains("sip:");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    @Order(9)
    void aCallerThatFallsSilentIsHungUpAfterTheRtpTimeout() throws Exception {
        // the box runs with rtp.timeout.seconds = 10; the softphone keeps sending, the sipp caller sends nothing
        Peers.Sipp caller = phone("silent", "call_silent.xml", "-s", "1002", "-key", "caller", "1001", "-au", "1001", "-ap",
                passwords.get("1001"));
        Appliance.waitFor("the call to be bridged", Duration.ofSeconds(20), () -> shell("call:list").contains("BRIDGED"));
        // the BYE comes with Reason: Q.850;cause=102, which the scenario checks
        assertThat(run(caller)).as(caller.report()).isZero();
        assertNoCalls();
        Appliance.waitFor("the softphone to be hung up too", Duration.ofSeconds(10), () -> {
            try {
                return !softphone.command("listcalls", null).contains("sip:");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    @Order(6)
    void anExtensionWithoutDialOutCannotReachTheTrunk() throws Exception {
        // the technician traces the extension while it tries
        assertThat(shell("sip:trace on 1004")).contains("Tracing SIP messages of 1004");
        Peers.Sipp refused = phone("no-dial-out", "refused.xml", "-s", "0099887766", "-key", "caller", "1004", "-au", "1004",
                "-ap", passwords.get("1004"));
        assertThat(run(refused)).as(refused.report()).isZero();
        Appliance.waitFor("the refusal in the trace", Duration.ofSeconds(10),
                () -> logAfter("[1004] ->").contains("SIP/2.0 403"));
        assertThat(shell("sip:trace off 1004")).contains("stopped");
        assertThat(shell("sip:status")).contains("Traced:        nothing");
    }

    @Test
    @Order(10)
    void tlsAnswersWithTheConfiguredCertificate() throws Exception {
        assertThat(shell("sip:status")).contains("tls " + tlsPort);
        // trust exactly the box's certificate (the keystore made for this run), as a phone given it would
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(box.home.resolve("etc/sip-tls.p12"))) {
            ks.load(in, tlsPassword.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            s.setSoTimeout(10000);
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            String via = "Via: SIP/2.0/TLS 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK";
            String register = "REGISTER sip:127.0.0.1 SIP/2.0\r\n" + via + "tls1\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:1001@127.0.0.1>;tag=t1\r\nTo: <sip:1001@127.0.0.1>\r\nCall-ID: tls-register\r\n"
                    + "CSeq: 1 REGISTER\r\nContact: <sip:1001@127.0.0.1:" + s.getLocalPort() + ";transport=tls>\r\n"
                    + "Expires: 60\r\nContent-Length: 0\r\n\r\n";
            s.getOutputStream().write(register.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] buf = new byte[4096];
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().contains("\r\n\r\n")) {
                int n = s.getInputStream().read(buf);
                assertThat(n).as("the box closed the TLS connection; got: " + answer).isPositive();
                answer.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            // a REGISTER over TLS is challenged like any other
            assertThat(answer.toString()).startsWith("SIP/2.0 401").contains("WWW-Authenticate: Digest").contains("tls-register");
        }
    }

    @Test
    @Order(11)
    void aPhonePutsTheCallerOnHoldResumesAndTransfersIt() throws Exception {
        Peers.Sipp caller = phone("transfer", "call_until_bye.xml", "-s", "1002", "-key", "caller", "1001", "-au", "1001",
                "-ap", passwords.get("1001"));
        Appliance.waitFor("the call to be bridged", Duration.ofSeconds(20), () -> shell("call:list").contains("BRIDGED"));
        assertThat(softphone.command("uafind", "sip:1002@127.0.0.1")).contains("\"ok\":true");

        // hold and resume are re-INVITEs (sendonly, then sendrecv) that the box answers
        assertThat(softphone.command("hold", null)).contains("\"ok\":true");
        Appliance.waitFor("the box to see the hold", Duration.ofSeconds(10), () -> logAfter("UP: on hold").length() > 0);
        assertThat(softphone.command("resume", null)).contains("\"ok\":true");
        Appliance.waitFor("the box to see the resume", Duration.ofSeconds(10), () -> logAfter("UP: resumed").length() > 0);
        assertThat(shell("call:list")).contains("BRIDGED");

        // the agent on 1002 transfers the caller to 1003 (REFER); 1003 rings and is answered there
        assertThat(softphone.command("transfer", "sip:1003@127.0.0.1")).contains("\"ok\":true");
        Appliance.waitFor("1003 to ring", Duration.ofSeconds(10), () -> shell("call:list").contains("ALERTING"));
        assertThat(shell("call:list")).containsPattern("ALERTING\\s*\\|[^\\n]*\\| 1003");
        assertThat(softphone.command("uafind", "sip:1003@127.0.0.1")).contains("\"ok\":true");
        assertThat(softphone.command("accept", null)).contains("\"ok\":true");
        Appliance.waitFor("the caller bridged to 1003", Duration.ofSeconds(10), () -> {
            String calls = shell("call:list");
            return calls.contains("1003") && calls.contains("BRIDGED");
        });

        // 1003 hangs up: the caller gets the BYE
        assertThat(softphone.command("hangup", null)).contains("\"ok\":true");
        assertThat(run(caller)).as(caller.report()).isZero();
        assertNoCalls();
    }

    @Test
    @Order(12)
    void aPeeringTrunkIsWatchedWithOptions() throws Exception {
        // a second carrier that does not take registrations: its status comes from OPTIONS keepalives
        // on the carrier's address, ports the other peers there leave free (sipp's -mp takes P and P+2)
        List<String> a = new ArrayList<>(List.of("-i", CARRIER, "-p", Integer.toString(base + 3), "-cp",
                Integer.toString(base + 5), "-mi", CARRIER, "-mp", Integer.toString(base + 11), "-sf", "carrier_options.xml"));
        Peers.Sipp peer = Peers.Sipp.start(scenarios, "peer-options", a);
        Files.writeString(box.home.resolve("etc/org.switchboard.sip.trunk-peer.cfg"), String.join("\n",
                "name = peer", "host = " + CARRIER, "port = " + (base + 3), "register = false",
                "options.interval.seconds = 10", "outbound = false", ""));
        Appliance.waitFor("the peer trunk to be ONLINE by OPTIONS", Duration.ofSeconds(25),
                () -> shell("sip:trunks").matches("(?s).*peer\\s*\\|[^\\n]*ONLINE.*"));
        assertThat(shell("sip:trunks")).containsPattern("peer\\s*\\|[^\\n]*200 OK \\(OPTIONS\\)");
        assertThat(run(peer)).as(peer.report()).isZero();
        Files.delete(box.home.resolve("etc/org.switchboard.sip.trunk-peer.cfg"));
        Appliance.waitFor("the peer trunk to go with its file", Duration.ofSeconds(15),
                () -> !shell("sip:trunks").contains("peer"));
    }

    /** The box's log from the first line that contains marker on. */
    private static String logAfter(String marker) {
        try {
            String log = Files.readString(box.home.resolve("data/log/karaf.log"));
            int at = log.indexOf(marker);
            return at < 0 ? "" : log.substring(at);
        } catch (IOException e) {
            return "";
        }
    }

    /** sipp as the carrier on 127.0.0.2 (SIP port base+8, control base+9, media base+10). */
    private static Peers.Sipp carrier(String name, String scenario, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("-i", CARRIER, "-mi", CARRIER, "-p", Integer.toString(base + 8),
                "-cp", Integer.toString(base + 9), "-mp", Integer.toString(base + 10), "-sf", scenario,
                "-key", "user", "trunkuser", "-key", "pw", trunkPassword));
        a.addAll(List.of(args));
        return Peers.Sipp.start(scenarios, name, a);
    }

    @Test
    @Order(7)
    void theTrunkRegistersAndCarriesCallsBothWays() throws Exception {
        Peers.Sipp registrar = carrier("carrier-register", "carrier_register.xml");
        Files.writeString(box.home.resolve("etc/org.switchboard.sip.trunk-carrier.cfg"), String.join("\n",
                "name = carrier", "host = " + CARRIER, "port = " + (base + 8), "username = trunkuser",
                "password = " + trunkPassword, "expires = 120", "options.interval.seconds = 0",
                "dids = 5551000>1002", ""));
        assertThat(run(registrar)).as(registrar.report()).isZero();
        Appliance.waitFor("the trunk to be online", Duration.ofSeconds(20), () -> shell("sip:trunks").contains("ONLINE"));
        assertThat(shell("sip:trunks")).contains("carrier").contains("200 OK").contains("5551000>1002")
                .doesNotContain(trunkPassword);

        // a call from the carrier to the DID rings extension 1002, traced by the trunk's name
        assertThat(shell("sip:trace on carrier")).contains("trunk carrier (" + CARRIER + ")");
        Peers.Sipp inbound = Peers.Sipp.start(scenarios, "did-call", List.of("127.0.0.1:" + sipPort, "-i", CARRIER, "-mi", CARRIER,
                "-p", Integer.toString(base + 14), "-cp", Integer.toString(base + 15), "-mp", Integer.toString(base + 10),
                "-recv_timeout", "15s", "-sf", "call.xml", "-s", "5551000", "-key", "caller", "01012345678", "-d", "2000"));
        assertThat(run(inbound)).as(inbound.report()).isZero();
        assertThat(inbound.rtpQueued(base + 10)).as("the softphone's audio reached the carrier").isPositive();
        assertNoCalls();
        assertThat(logAfter("[" + CARRIER + "] <-")).contains("INVITE sip:5551000@");
        assertThat(shell("sip:trace off " + CARRIER)).contains("stopped");

        // an agent allowed to dial out calls through the trunk, which answers the carrier's challenge
        Peers.Sipp far = carrier("carrier-answer", "carrier_answer.xml", "-rtp_echo");
        Peers.Sipp agent = phone("dial-out", "call.xml", "-s", "0099887766", "-key", "caller", "1001", "-au", "1001", "-ap",
                passwords.get("1001"), "-d", "2000");
        assertThat(run(agent)).as(agent.report()).isZero();
        assertThat(run(far)).as(far.report()).isZero();
        assertThat(Files.readString(scenarios.resolve("carrier-answer.messages"))).contains("INVITE sip:0099887766@" + CARRIER);
        assertThat(agent.rtpQueued(base + 4)).as("the carrier's echo came back to the agent").isPositive();
        assertNoCalls();

        // the carrier plays an announcement before it answers (183 with SDP): the agent gets 183 and
        // hears it while its own leg is still ringing
        Peers.Sipp early = carrier("carrier-early", "carrier_early.xml");
        Peers.Sipp listener = phone("dial-out-early", "call.xml", "-s", "0099887766", "-key", "caller", "1001", "-au", "1001",
                "-ap", passwords.get("1001"), "-d", "1000");
        Appliance.waitFor("early media relayed to the ringing agent", Duration.ofSeconds(10), () -> {
            Matcher ringing = Pattern.compile("\\| (sip/\\d+)\\s*\\| sip\\s*\\| in\\s*\\| RINGING").matcher(shell("call:list"));
            return ringing.find() && packetsOut(ringing.group(1)) > 25;
        });
        assertThat(run(listener)).as(listener.report()).isZero();
        assertThat(run(early)).as(early.report()).isZero();
        assertThat(Files.readString(scenarios.resolve("dial-out-early.messages"))).contains("SIP/2.0 183");
        assertNoCalls();
    }

    /** RTP packets the box sent on a leg's stream (media:streams, OUT), or -1. */
    private static long packetsOut(String leg) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(leg) + "\\s*\\|[^|]*\\|[^|]*\\|[^|]*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)")
                .matcher(shell("media:streams"));
        return m.find() ? Long.parseLong(m.group(2)) : -1;
    }

    @Test
    @Order(8)
    void malformedSipIsAnsweredOrDroppedAndTheBoxKeepsServing() throws Exception {
        long threadsBefore = threads();
        long before = malformed();
        Random random = new Random(42);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", sipPort);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(2000);
            String via = "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK";
            byte[] garbage = "GARBAGE \u00ff\u00fe not SIP at all\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            byte[] noHeaders = "INVITE sip:1002@127.0.0.1 SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            java.util.function.IntFunction<byte[]> noCallId = i -> ("OPTIONS sip:127.0.0.1 SIP/2.0\r\n" + via + "m" + i
                    + "\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            java.util.function.IntFunction<byte[]> badCseq = i -> ("OPTIONS sip:127.0.0.1 SIP/2.0\r\n" + via + "c" + i
                    + "\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: bad-cseq-" + i
                    + "\r\nCSeq: lots OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

            // one of each, counted one by one; the broken CSeq can still be answered
            send(s, to, garbage);
            send(s, to, noHeaders);
            send(s, to, noCallId.apply(0));
            send(s, to, badCseq.apply(0));
            assertThat(receive(s, "bad-cseq-0")).startsWith("SIP/2.0 400");
            Appliance.waitFor("the four malformed messages to be counted", Duration.ofSeconds(10), () -> malformed() == before + 4);

            // then a burst of them, with random bytes among them
            for (int i = 1; i <= 300; i++) {
                byte[] junk = new byte[1 + random.nextInt(1400)];
                random.nextBytes(junk);
                send(s, to, junk);
                send(s, to, noHeaders);
                send(s, to, noCallId.apply(i));
                send(s, to, badCseq.apply(i));
            }
            drain(s);
            // an unknown method, complete otherwise: 501 and what is allowed
            assertThat(request(s, to, "BREW", via + "u")).startsWith("SIP/2.0 501").contains("Allow:");
            // a header longer than any phone sends: 400 or silence, never a crash
            String huge = "X-Padding: " + "a".repeat(60000) + "\r\n";
            send(s, to, ("OPTIONS sip:127.0.0.1 SIP/2.0\r\n" + via + "h\r\n" + huge + "From: <sip:x@y>;tag=1\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: huge\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            drain(s);
            assertThat(request(s, to, "OPTIONS", via + "alive")).as("the stack still answers").startsWith("SIP/2.0 200");
        }
        // garbage over TCP, then a message that claims a 1 MB body: the connection is closed
        try (Socket t = new Socket("127.0.0.1", sipPort)) {
            t.setSoTimeout(10000);
            t.getOutputStream().write(("INVITE sip:1@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKt\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[65536];
            try {
                for (int i = 0; i < 20; i++) {
                    t.getOutputStream().write(chunk);
                }
            } catch (IOException closed) {
                // the box hung up on the oversize message: what it should do
            }
        }
        // what the kernel's socket buffer held of the burst was counted too
        assertThat(malformed()).as(shell("sip:status")).isGreaterThan(before + 100);
        assertThat(shell("sip:blocked")).doesNotContain("127.0.0.1");
        try {
            Appliance.waitFor("the thread count to settle", Duration.ofSeconds(30), () -> threads() <= threadsBefore + 5);
        } catch (AssertionError e) {
            // the JVM's threads by name (digits folded), from /proc: what grew
            java.util.Map<String, Long> byName = new java.util.TreeMap<>();
            try (var tasks = Files.list(Path.of("/proc/" + box.pid().orElse(0L) + "/task"))) {
                for (Path t : tasks.toList()) {
                    byName.merge(Files.readString(t.resolve("comm")).trim().replaceAll("\\d+", "#"), 1L, Long::sum);
                }
            }
            String names = byName.toString();
            throw new AssertionError(e.getMessage() + ": " + threadsBefore + " before, " + threads() + " now:\n" + names);
        }

        // and a real phone still registers and calls
        Peers.Sipp after = phone("after-burst", "register.xml", "-s", "1001", "-au", "1001", "-ap", passwords.get("1001"));
        assertThat(run(after)).as(after.report()).isZero();
    }

    private static long malformed() {
        Matcher m = Pattern.compile("Malformed:\\s+(\\d+)").matcher(shell("sip:status"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The first datagram that mentions the text (a Call-ID), or a note that none came. */
    private static String receive(DatagramSocket s, String text) throws IOException {
        byte[] buf = new byte[65536];
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (r.contains(text)) {
                return r;
            }
        }
        return "nothing about " + text;
    }

    /**
     * The appliance JVM's threads, from /proc, without the shell's SSH session threads (each SSH
     * command leaves its pool's threads idle for a minute; they are not SIP's).
     */
    private static long threads() {
        try (var tasks = Files.list(Path.of("/proc/" + box.pid().orElse(0L) + "/task"))) {
            return tasks.filter(t -> {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    return !name.startsWith("session-") && !name.startsWith("sshd-");
                } catch (IOException e) {
                    return false; // the thread ended meanwhile
                }
            }).count();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void send(DatagramSocket s, InetSocketAddress to, byte[] b) throws IOException {
        s.send(new DatagramPacket(b, b.length, to));
    }

    private static void drain(DatagramSocket s) throws IOException {
        byte[] buf = new byte[65536];
        int old = s.getSoTimeout();
        s.setSoTimeout(300);
        try {
            while (true) {
                s.receive(new DatagramPacket(buf, buf.length));
            }
        } catch (SocketTimeoutException done) {
            // nothing more
        } finally {
            s.setSoTimeout(old);
        }
    }

    /** Sends a well-formed request and returns the first response that belongs to it. */
    private static String request(DatagramSocket s, InetSocketAddress to, String method, String via) throws IOException {
        String callId = method + "-" + System.nanoTime();
        send(s, to, (method + " sip:127.0.0.1:" + to.getPort() + " SIP/2.0\r\n" + via + "\r\nMax-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=p1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: " + callId + "\r\nCSeq: 1 " + method
                + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return receive(s, callId);
    }

    static InetAddress carrierAddress() throws IOException {
        return InetAddress.getByName(CARRIER);
    }

    @Test
    @Order(13)
    void aCarrierCallerKeysAMenuChoiceAsRfc4733TelephoneEvents() throws Exception {
        Files.writeString(box.home.resolve("etc/switchboard-routes.yaml"), String.join("\n", "timezone: UTC", "routes:",
                "  - name: carrier menu", "    trunk: carrier", "    did: \"5551000\"", "    to: ivr:keys", ""));
        Files.writeString(box.home.resolve("etc/ivr/keys.yaml"), String.join("\n", "language: en", "languages: [en, zh]", "nodes:",
                "  welcome:", "    prompts: [welcome, menu-main]", "    timeout: 15", "    options:", "      \"1\": message:goodbye",
                "      \"2\": hangup", ""));
        assertThat(shell("feature:install switchboard-router switchboard-ivr")).doesNotContain("Error");
        // the router boots with the image and reads the changed file within 2 s
        Appliance.waitFor("the menu and its route", Duration.ofSeconds(20),
                () -> shell("ivr:list").contains("keys") && shell("router:routes").contains("carrier menu"));
        // Debian sip-tester's pcap of the key 1 as RFC 4733 events, played by the carrier's caller during the prompt
        Peers.Sipp caller = Peers.Sipp.start(scenarios, "keys-call", List.of("127.0.0.1:" + sipPort, "-i", CARRIER, "-mi", CARRIER,
                "-p", Integer.toString(base + 14), "-cp", Integer.toString(base + 15), "-mp", Integer.toString(base + 10),
                "-recv_timeout", "25s", "-sf", "call_keys.xml", "-s", "5551000", "-key", "caller", "01012345678"));
        assertThat(run(caller)).as(caller.report()).isZero();
        assertThat(shell("log:display")).contains("key 1 in menu keys node welcome -> message:goodbye");
        assertNoCalls();
    }

    @Test
    @Order(14)
    void aCarrierCallerRatesTheCallWhenTheExtensionHangsUpFirst() throws Exception {
        Files.writeString(box.home.resolve("etc/switchboard-routes.yaml"), String.join("\n", "timezone: UTC", "routes:",
                "  - name: to the agent", "    trunk: carrier", "    did: \"5551000\"", "    to: extension:1004", ""));
        assertThat(shell("feature:install switchboard-router switchboard-voicemail")).doesNotContain("Error");
        Appliance.waitFor("the route to the agent", Duration.ofSeconds(20), () -> shell("router:routes").contains("to the agent"));
        Appliance.waitFor("the survey served", Duration.ofSeconds(20), () -> shell("router:routes").contains("survey"));
        // the agent's phone: sipp registered as 1004, answering and hanging up 1.5 s later
        Peers.Sipp register = phone("agent-register", "register.xml", "-s", "1004", "-au", "1004", "-ap", passwords.get("1004"));
        assertThat(run(register)).as(register.report()).isZero();
        Peers.Sipp agent = phone("agent", "agent_hangs_up.xml", "-m", "1");
        Peers.Sipp caller = Peers.Sipp.start(scenarios, "rate-call", List.of("127.0.0.1:" + sipPort, "-i", CARRIER, "-mi", CARRIER,
                "-p", Integer.toString(base + 14), "-cp", Integer.toString(base + 15), "-mp", Integer.toString(base + 10),
                "-recv_timeout", "35s", "-sf", "call_rate.xml", "-s", "5551000", "-key", "caller", "01087654321"));
        assertThat(run(agent)).as(agent.report()).isZero();
        assertThat(run(caller)).as(caller.report()).isZero();
        assertThat(shell("survey:results")).containsPattern("1004\\s*\\| 01087654321\\s*\\|.*\\| 4/5\\s*\\| scored");
        assertNoCalls();
    }
}
