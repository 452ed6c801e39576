package org.switchboard.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The E1 span of the lab profile in the firmware image: the box's side (libpri CPE, through the
 * native bridge loaded by Bundle-NativeCode) against the simulated carrier (libpri network side)
 * driven with span:sim. Calls in with both numbers, routed out again on the same span (so a tone
 * the carrier speaks on one channel comes back on the other), in-band keys, the carrier's cause 16,
 * a call out with span:dial, 30 calls at once, LOS ending them, the Q.931 trace, bad input, and
 * the bundle stopped and started 100 times without leaking descriptors or memory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpanIT {

    private static Appliance box;
    private static String pw;

    @BeforeAll
    static void boot() throws Exception {
        box = Appliance.boot("span");
        pw = box.initialAdminPassword();
        box.awaitReady("admin", pw);
        Files.writeString(box.home.resolve("etc/switchboard-routes.yaml"), """
                timezone: Asia/Shanghai
                routes:
                  - name: main number out again
                    did: "01066668000"
                    to: external:span1:13900139000
                  - name: menu
                    did: "0106666803*"
                    to: ivr:main
                  - name: r2 callers out on the PRI span
                    line: span2
                    to: external:span1:13900139000
                fallback: reject:NORMAL_TEMPORARY_FAILURE
                """);
        Appliance.waitFor("the routes", Duration.ofSeconds(20), () -> out("router:routes").contains("main number out again"));
        Appliance.waitFor("both spans online", Duration.ofSeconds(20),
                () -> out("span:list").lines().filter(l -> l.startsWith("span") && l.contains("| ONLINE")).count() == 2);
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (box != null) {
            box.close();
        }
    }

    /** span1's row of span:list. */
    private static String span1() {
        return out("span:list").lines().filter(l -> l.startsWith("span1 ")).findFirst().orElse("");
    }

    private static Appliance.Result admin(String command) throws Exception {
        return box.exec("admin", pw, command);
    }

    private static String out(String command) {
        try {
            return admin(command).out();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    @Order(1)
    void theLabSpanIsUpWithThirtyFreeChannels() {
        String list = out("span:list");
        assertThat(list).containsPattern("span1\\s*\\| e1\\s*\\| e1 pri-cpe euroisdn, 30 channels \\(simulated\\)\\s*\\| ONLINE")
                .contains("none").containsPattern("up\\s*\\|\\s*0/30");
        assertThat(out("line:list")).containsPattern("span1\\s*\\| e1\\s*\\| span\\s*\\| 01066668000\\s*\\| idle\\s*\\| ONLINE");
        assertThat(out("span:channels span1")).containsPattern("\\b1 \\| free").containsPattern("31 \\| free")
                .doesNotContainPattern("\\b16 \\|");
    }

    @Test
    @Order(2)
    void aCallInWithBothNumbersCarriesAudioBothWaysKeysAndEndsWithCause16() throws Exception {
        admin("span:trace span1 on");
        assertThat(out("span:sim span1 call --from 13800138000")).contains("channel 1 of span1");
        // routed out again on the same span: the carrier answers that leg, the box connects the two
        Pattern bridged = Pattern.compile("(\\S+)\\s*\\| span1/\\d+\\s*\\| span1\\s*\\| in\\s*\\| BRIDGED\\s*\\| 13800138000\\s*\\| 01066668000");
        Appliance.waitFor("the caller connected", Duration.ofSeconds(15), () -> bridged.matcher(out("call:list")).find());
        assertThat(out("call:list")).containsPattern("span1/\\d+\\s*\\| span1\\s*\\| out\\s*\\| BRIDGED\\s*\\|[^|]*\\| 13900139000");
        assertThat(out("span:channels span1")).containsPattern("\\b1 \\| busy\\s*\\| in 13800138000 -> 01066668000, up")
                .containsPattern("31 \\| busy\\s*\\| out .* -> 13900139000, up");

        admin("span:sim span1 tone 1 1000");
        Appliance.waitFor("1000 Hz through the box", Duration.ofSeconds(10),
                () -> out("span:sim span1 status").matches("(?s).*31: from the box .*hears 10[01]\\d Hz.*|.*31: from the box .*hears 99\\d Hz.*"));
        admin("span:sim span1 tone 1 0");
        admin("span:sim span1 tone 31 500");
        Appliance.waitFor("500 Hz back", Duration.ofSeconds(10),
                () -> out("span:sim span1 status").matches("(?s).*\\b1: to the box .*hears (49\\d|50\\d|51\\d) Hz.*"));
        admin("span:sim span1 tone 31 0");

        admin("span:sim span1 keys 1 5");
        Appliance.waitFor("the key heard in-band", Duration.ofSeconds(10), () -> out("span:channels span1").contains("keys 5"));

        admin("span:sim span1 hangup 1 16");
        Appliance.waitFor("both legs ended", Duration.ofSeconds(10), () -> !out("call:list").contains("span1/"));
        assertThat(out("span:sim span1 status")).contains("channel 31: the box cleared, cause 16");
        String log = out("log:display");
        assertThat(log).contains("from 13800138000 to '01066668000': route 'main number out again'");
        assertThat(log).as("decoded Q.931 in the trace").contains("[switchboard-span-span1] span1: < Message Type: SETUP")
                .contains("span1: > Message Type: CONNECT").contains("span1: < Message Type: DISCONNECT");
        admin("span:trace span1 off");
        Appliance.waitFor("channels free", Duration.ofSeconds(10), () -> span1().contains("0/30"));
    }

    @Test
    @Order(3)
    void aCallOutWithSpanDial() throws Exception {
        String d = out("span:dial span1 13700137000 --from withheld");
        assertThat(d).contains("Dialling 13700137000 on span span1");
        Matcher m = Pattern.compile("call (\\S+),").matcher(d);
        assertThat(m.find()).isTrue();
        Appliance.waitFor("answered by the carrier", Duration.ofSeconds(10),
                () -> out("call:list").matches("(?s).*span1/\\d+\\s*\\| span1\\s*\\| out\\s*\\| ANSWERED.*"));
        assertThat(out("span:sim span1 status")).contains("call from the box (withheld) to 13700137000");
        admin("call:hangup " + m.group(1));
        Appliance.waitFor("the carrier saw cause 16", Duration.ofSeconds(10),
                () -> out("span:sim span1 status").contains("channel 31: the box cleared, cause 16"));
    }

    @Test
    @Order(4)
    void thirtyCallsThenLosEndsThemAndTheSpanComesBack() throws Exception {
        StringBuilder calls = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            calls.append("span:sim span1 call --from 1380000").append(String.format("%04d", i)).append(" --to 0106666803")
                    .append(i % 10).append(";");
        }
        String placed = out(calls.toString());
        try {
            Appliance.waitFor("30 calls in the menu", Duration.ofSeconds(30), () -> span1().contains("30/0"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + placed + "\n" + out("span:sim span1 status") + "\n"
                    + out("span:channels span1"), e);
        }
        Appliance.waitFor("30 answered", Duration.ofSeconds(30),
                () -> Pattern.compile("\\| span1\\s*\\| in\\s*\\| ANSWERED").matcher(out("call:list")).results().count() == 30);

        admin("span:sim span1 alarm los");
        Appliance.waitFor("offline with the alarm", Duration.ofSeconds(10),
                () -> span1().contains("OFFLINE: alarm RED (LOS: loss of signal)"));
        Appliance.waitFor("every call ended", Duration.ofSeconds(10), () -> !out("call:list").contains("span1/"));
        assertThat(out("span:list")).contains("0/30");
        assertThat(out("log:display")).contains("Span span1: alarm RED (LOS: loss of signal)");
        assertThat(out("span:channels span1")).contains("alarm RED (LOS: loss of signal)");

        admin("span:sim span1 alarm clear");
        Appliance.waitFor("back online", Duration.ofSeconds(30), () -> span1().contains("ONLINE"));
        admin("span:sim span1 call --from 13800138000 --to 01066668031");
        Appliance.waitFor("a call after the recovery", Duration.ofSeconds(10), () -> span1().contains("1/29"));
        admin("span:sim span1 hangup 1");
    }

    @Test
    @Order(5)
    void anR2CallInWithAniAndDnisCarriesAudioAndClears() throws Exception {
        assertThat(out("span:list")).containsPattern("span2\\s*\\| e1\\s*\\| e1 r2-itu, 4 DNIS digits, 30 channels \\(simulated\\)\\s*\\| ONLINE");
        admin("span:trace span2 on");
        assertThat(out("span:sim span2 call --from 13800138000 --to 9000")).contains("channel 1 of span2");
        Pattern bridged = Pattern.compile("span2/\\d+\\s*\\| span2\\s*\\| in\\s*\\| BRIDGED\\s*\\| 13800138000\\s*\\| 9000");
        Appliance.waitFor("the R2 caller connected out on the PRI span", Duration.ofSeconds(20),
                () -> bridged.matcher(out("call:list")).find());
        admin("span:sim span2 tone 1 1000");
        Appliance.waitFor("1000 Hz from the R2 span out on the PRI span", Duration.ofSeconds(10),
                () -> out("span:sim span1 status").matches("(?s).*31: from the box .*hears (99\\d|10[01]\\d) Hz.*"));
        admin("span:sim span2 hangup 1 16");
        Appliance.waitFor("both legs ended", Duration.ofSeconds(15), () -> !out("call:list").contains("span2/"));
        Appliance.waitFor("the PRI leg cleared with 16", Duration.ofSeconds(10),
                () -> out("span:sim span1 status").contains("channel 31: the box cleared, cause 16"));
        assertThat(out("log:display")).as("the R2 dialogue in the trace").contains("span2: ch 1: CAS Rx << [SEIZE]")
                .contains("MF Rx << 9 [ON]");
        admin("span:trace span2 off");
    }

    @Test
    @Order(6)
    void badInputIsRefusedWithWhatIsAllowed() {
        assertThat(out("span:channels nope")).contains("no span 'nope'; spans: span1, span2");
        assertThat(out("span:restart span1 16")).contains("'16' is not a channel of span span1; allowed: 1-15,17-31");
        assertThat(out("span:trace span1 maybe")).contains("'maybe' is not allowed; allowed: on, off");
        assertThat(out("span:sim span1 alarm smoke")).contains("allowed: los, lof, ais, rai, clear");
        assertThat(out("span:sim span1 hangup 5 200")).contains("allowed: a Q.850 cause 1-127");
        assertThat(out("span:dial span1 12ab")).contains("not a number to dial");
        assertThat(out("span:sim span1 mangle sideways")).contains("allowed: unknown-ie, truncated");
        assertThat(out("span:restart span1 all")).contains("RESTART sent for every channel of span1");
        assertThat(out("span:list")).doesNotContain("Exception");
    }

    @Test
    @Order(7)
    void malformedQ931FromTheCarrierIsRefusedAndTheRetransmissionGetsThrough() throws Exception {
        admin("span:sim span1 mangle truncated");
        admin("span:sim span1 call --from 13800138000 --to 01066668031");
        // the SETUP whose first IE runs past its end is dropped with libpri's complaint; the carrier
        // repeats it when T303 (4 s) runs out, and that one rings
        Appliance.waitFor("the repeated SETUP rings", Duration.ofSeconds(15), () -> span1().contains("1/29"));
        assertThat(out("log:display")).contains("Span span1: XXX Message longer than it should be");
        admin("span:sim span1 hangup 1");
        Appliance.waitFor("free again", Duration.ofSeconds(10), () -> span1().contains("0/30"));
    }

    @Test
    @Order(8)
    void stoppingAndStartingTheBundle100TimesLeaksNothing() throws Exception {
        long pid = box.pid().orElseThrow();
        StringBuilder cycle = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            cycle.append("bundle:stop org.switchboard.span.native; bundle:start org.switchboard.span.native;");
        }
        admin(cycle.toString());       // warm up
        Appliance.waitFor("online", Duration.ofSeconds(30), () -> span1().contains("ONLINE"));
        long fdsBefore = fds(pid);
        long rssBefore = rssKb(pid);
        for (int i = 0; i < 5; i++) {
            assertThat(admin(cycle.toString()).ok()).isTrue();
        }
        Appliance.waitFor("online again", Duration.ofSeconds(30), () -> span1().contains("ONLINE"));
        long fdsAfter = fds(pid);
        long rssAfter = rssKb(pid);
        assertThat(fdsAfter).as("open descriptors after 100 stops and starts").isLessThanOrEqualTo(fdsBefore + 2);
        assertThat(rssAfter - rssBefore).as("resident memory growth in KiB after 100 stops and starts").isLessThan(16 * 1024);
    }

    private static long fds(long pid) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    private static long rssKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }
}
