package org.switchboard.firmware;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Boots the firmware image exactly as shipped (lab profile, embedded Derby) and checks what a
 * technician does first: log in with the generated credentials, look at the features, the
 * profile and the lines, ring a simulated line and watch the call.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirmwareIT {

    private static Appliance box;
    private static String adminPassword;

    @BeforeAll
    static void boot() throws Exception {
        box = Appliance.boot("firmware");
        adminPassword = box.initialAdminPassword();
        box.awaitReady("admin", adminPassword);
        installedAtBoot = admin("feature:list -i").out();
        // these tests drive the lab lines by hand (call:answer), so the inbound router, which would
        // take their calls, is taken out; RouterIT, IvrIT and VoicemailIT test the routed box
        Appliance.Result r = admin("feature:uninstall switchboard-router");
        assertThat(r.ok()).as(r.out()).isTrue();
    }

    private static String installedAtBoot;

    @AfterAll
    static void shutdown() throws Exception {
        if (box != null) {
            box.close();
        }
    }

    private static Appliance.Result admin(String command) throws Exception {
        return box.exec("admin", adminPassword, command);
    }

    private static void assertNoStackTrace(Appliance.Result r) {
        assertThat(r.out()).doesNotContain("Exception").doesNotContainPattern("\\bat [a-z]+\\.[a-z]+\\.");
    }

    @Test
    @Order(1)
    void theDefaultKarafUserIsRefusedAndTheGeneratedAdminGetsIn() throws Exception {
        assertThat(box.canLogIn("karaf", "karaf")).isFalse();
        assertThat(box.canLogIn("admin", "karaf")).isFalse();
        assertThat(box.canLogIn("admin", adminPassword)).isTrue();
        Path users = box.home.resolve("etc/switchboard-users.properties");
        assertThat(Files.readString(users)).contains("admin = admin:pbkdf2-sha256:").doesNotContain(adminPassword);
    }

    @Test
    @Order(2)
    void theBaseFeaturesAreInstalled() throws Exception {
        for (String f : new String[] {"switchboard-core", "switchboard-store", "switchboard-hw",
                "switchboard-line-sim", "switchboard-line-serial", "switchboard-security", "switchboard-sip",
                "switchboard-router", "switchboard-ivr", "switchboard-voicemail"}) {
            assertThat(installedAtBoot).contains(f);
        }
        assertThat(installedAtBoot).contains("Started");
    }

    @Test
    @Order(3)
    void theLabProfileIsAppliedWithFourLines() throws Exception {
        Appliance.Result profile = admin("hw:profile");
        assertThat(profile.out()).contains("Profile:     lab").contains("6 lines, 2 spans, SIP");

        Appliance.Result lines = admin("line:list");
        for (int i = 1; i <= 4; i++) {
            assertThat(lines.out()).containsPattern("lab-" + i + "\\s*\\| analog\\s*\\| simulated\\s*\\| 0106666000" + i
                    + "\\s*\\| idle\\s*\\| ONLINE");
        }

        Appliance.Result cards = admin("hw:cards");
        assertThat(cards.out()).contains("4 simulated lines online").contains("span1 ONLINE, 0/30 busy")
                .contains("span2 ONLINE, 0/30 busy")
                .containsPattern("sip\\s*\\| sip\\s*\\|.*running on 127.0.0.1");
    }

    @Test
    @Order(4)
    void aSimulatedCallShowsInTheCallListAndEndsOnHangup() throws Exception {
        Appliance.Result ring = admin("line:simulate-call lab-1 --from 13800138000 --digits 12");
        assertThat(ring.ok()).as(ring.out()).isTrue();

        Appliance.Result list = admin("call:list");
        Matcher m = Pattern.compile("(\\S+)\\s*\\| lab-1/\\d+\\s*\\| lab-1\\s*\\| in\\s*\\| RINGING\\s*\\| 13800138000\\s*\\| 01066660001")
                .matcher(list.out());
        assertThat(m.find()).as(list.out()).isTrue();
        String callId = m.group(1);
        assertThat(admin("line:list").out()).containsPattern("lab-1\\s*\\|.*\\| ringing");

        Appliance.Result hangup = admin("call:hangup " + callId);
        assertThat(hangup.out()).contains("Call " + callId + " hung up with NORMAL_CLEARING(16)");
        assertThat(admin("call:list").out()).contains("no calls");
        assertThat(admin("line:list").out()).containsPattern("lab-1\\s*\\|.*\\| idle");
    }

    @Test
    @Order(5)
    void anAnsweredCallCarriesAudioAndTheFarEndHangsUp() throws Exception {
        admin("line:simulate-call lab-2 --withheld");
        Matcher m = Pattern.compile("(\\S+)\\s*\\| (lab-2/\\d+)").matcher(admin("call:list").out());
        assertThat(m.find()).isTrue();
        String leg = m.group(2);
        assertThat(admin("call:answer " + leg).out()).contains("answered");
        Appliance.waitFor("audio frames from the line", Duration.ofSeconds(10), () -> {
            try {
                Matcher f = Pattern.compile("audio:\\s+(\\d+) frames in").matcher(admin("call:show " + leg).out());
                return f.find() && Long.parseLong(f.group(1)) > 10;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(admin("call:show " + leg).out()).contains("from:    withheld");

        assertThat(admin("line:simulate-hangup lab-2 --cause USER_BUSY").ok()).isTrue();
        assertThat(admin("call:list").out()).contains("no calls");
    }

    @Test
    @Order(6)
    void theMediaEngineShowsItsPortsAndStreams() throws Exception {
        assertThat(admin("media:ports").out()).contains("RTP port range: 10000-20000").contains("Pairs in use:   0");
        assertThat(admin("media:streams").out()).contains("no RTP streams");
        assertThat(admin("media:clock").out()).containsPattern("ticks:\\s+[1-9]");
    }

    @Test
    @Order(6)
    void badInputGetsAClearMessageNotAStackTrace() throws Exception {
        Appliance.Result unknownCall = admin("call:hangup nope");
        assertThat(unknownCall.exit()).isNotZero();
        assertThat(unknownCall.out()).contains("no call or leg 'nope' is up");
        assertNoStackTrace(unknownCall);

        Appliance.Result unknownProfile = admin("hw:apply nope");
        assertThat(unknownProfile.exit()).isNotZero();
        assertThat(unknownProfile.out()).contains("no profile 'nope'").contains("profile 'lab' keeps running");
        assertNoStackTrace(unknownProfile);

        Path broken = box.home.resolve("hardware-profiles/broken.yaml");
        Files.writeString(broken, "name: broken\ncards:\n  - id: m\n    driver: v253-modem\n    lines:\n      - id: p1\n        baud: 7\n");
        Appliance.Result invalid = admin("hw:apply broken");
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.out()).contains("hardware-profiles/broken.yaml:7:15: cards[0].lines[0].baud: '7' is not allowed")
                .contains("hardware-profiles/broken.yaml:6:9: cards[0].lines[0].port: missing");
        assertNoStackTrace(invalid);
        assertThat(admin("hw:profile").out()).contains("Profile:     lab").contains("The last profile change was refused");
        assertThat(admin("line:list").out()).contains("lab-4");

        Appliance.Result unknownLine = admin("line:simulate-call lab-9 --from 1");
        assertThat(unknownLine.out()).contains("no simulated line 'lab-9'; simulated lines: lab-1, lab-2, lab-3, lab-4");
        assertNoStackTrace(unknownLine);
    }

    @Test
    @Order(6)
    void theLabsSimulatedModemAndGsmModuleCarryCallsThroughJSerialComm() throws Exception {
        Appliance.waitFor("the serial lines online", Duration.ofSeconds(20), () -> {
            String out = out("line:list");
            return out.matches("(?s).*lab-pstn-1\\s*\\| modems\\s*\\| analog\\s*\\| 01066660011\\s*\\| idle\\s*\\| ONLINE.*")
                    && out.matches("(?s).*lab-gsm-1\\s*\\| gsm\\s*\\| gsm\\s*\\| 13800000011\\s*\\| idle\\s*\\| ONLINE\\s*\\|\\s*64%.*");
        });
        assertThat(admin("line:info lab-pstn-1").out()).contains("8-bit A-law at 8 kHz").contains("serial-sim/lab-pstn-1.tty")
                .doesNotContain("sim at");

        // a call in on the modem line, with caller ID, answered, a key, the far end hangs up
        assertThat(admin("line:sim lab-pstn-1 ring --from 13800138000").ok()).isTrue();
        Pattern leg = Pattern.compile("\\| (lab-pstn-1/\\d+)\\s*\\| lab-pstn-1\\s*\\| in\\s*\\| RINGING\\s*\\| 13800138000");
        Appliance.waitFor("the modem call ringing with caller ID", Duration.ofSeconds(10),
                () -> leg.matcher(out("call:list")).find());
        Matcher m = leg.matcher(out("call:list"));
        assertThat(m.find()).isTrue();
        assertThat(admin("call:answer " + m.group(1)).ok()).isTrue();
        Appliance.waitFor("audio from the modem", Duration.ofSeconds(10), () -> framesIn(m.group(1)) > 25);
        assertThat(admin("line:sim lab-pstn-1 hangup").ok()).isTrue();
        Appliance.waitFor("the call gone", Duration.ofSeconds(10), () -> !out("call:list").contains("lab-pstn-1/"));

        // the technician's raw command, and an SMS through the GSM module
        Appliance.Result csq = admin("line:at lab-gsm-1 AT+CSQ");
        assertThat(csq.out()).contains("+CSQ: 20,99").contains("OK");
        assertThat(admin("line:sms lab-gsm-1 13912345678 \"Missed call from 01066660011\"").out()).contains("Sent on lab-gsm-1");
        Appliance.Result notAt = admin("line:at lab-gsm-1 hello");
        assertThat(notAt.out()).contains("'hello' is not an AT command");
        assertNoStackTrace(notAt);
        assertThat(admin("line:at lab-gsm-1 ATD110;").out()).contains("use line:dial");

        // a test call out on the GSM line
        Appliance.Result dial = admin("line:dial lab-gsm-1 10086");
        assertThat(dial.out()).contains("Dialling 10086 on lab-gsm-1");
        Appliance.waitFor("the GSM call answered", Duration.ofSeconds(10),
                () -> out("call:list").matches("(?s).*lab-gsm-1/\\d+\\s*\\| lab-gsm-1\\s*\\| out\\s*\\| ANSWERED.*"));
        admin("call:hangup " + dial.out().replaceAll("(?s).*call (\\S+), leg.*", "$1"));

        // the adapter pulled and plugged back
        admin("line:sim lab-pstn-1 unplug");
        Appliance.waitFor("offline", Duration.ofSeconds(10), () -> out("line:list").matches("(?s).*lab-pstn-1\\s*\\|.*\\| OFFLINE.*"));
        admin("line:sim lab-pstn-1 plug");
        Appliance.waitFor("online again", Duration.ofSeconds(20), () -> out("line:list")
                .matches("(?s).*lab-pstn-1\\s*\\|.*\\| idle\\s*\\| ONLINE.*"));
    }

    @Test
    @Order(7)
    void theDatabaseIsOpenAndBacksUpOnline() throws Exception {
        assertThat(admin("store:info").out()).contains("State:       OPEN").contains("NATIVE authentication")
                .contains("org/switchboard/store/db/changelog.sql");
        Path backups = box.home.resolve("backups");

        Appliance.Result backup = admin("store:backup " + backups);

        assertThat(backup.out()).contains("Backup written to " + backups);
        try (var dirs = Files.list(backups)) {
            Path b = dirs.findFirst().orElseThrow();
            assertThat(b.resolve("db/service.properties")).exists();
            assertThat(b.resolve("db.credentials")).exists();
        }
        assertThat(admin("store:info").out()).doesNotContain("Last backup: never");
    }

    @Test
    @Order(8)
    void removingACapabilityKeepsTheCallsOfOthers() throws Exception {
        admin("line:simulate-call lab-3 --from 8001");
        Matcher m = Pattern.compile("\\| (lab-3/\\d+)").matcher(admin("call:list").out());
        assertThat(m.find()).isTrue();
        String leg = m.group(1);
        admin("call:answer " + leg);

        // voicemail and SIP need the store (messages, extensions live in Derby), so they go first; the
        // lab call must not notice any of it
        for (String feature : new String[] {"switchboard-voicemail", "switchboard-sip", "switchboard-store"}) {
            Appliance.Result uninstall = admin("feature:uninstall " + feature);
            assertThat(uninstall.ok()).as(uninstall.out()).isTrue();
        }
        assertThat(admin("feature:list -i").out()).doesNotContain("switchboard-store").doesNotContain("switchboard-sip ")
                .doesNotContain("switchboard-voicemail");
        long before = framesIn(leg);
        Appliance.waitFor("audio to keep flowing without the store", Duration.ofSeconds(10), () -> framesIn(leg) > before + 25);
        assertThat(admin("call:show " + leg).out()).contains("ANSWERED");

        Appliance.Result install = admin("feature:install switchboard-sip switchboard-voicemail");
        assertThat(install.ok()).as(install.out()).isTrue();
        Appliance.waitFor("the store back", Duration.ofSeconds(30), () -> {
            try {
                return admin("store:info").out().contains("OPEN");
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(admin("call:show " + leg).out()).contains("ANSWERED");
        admin("call:hangup " + leg);
    }

    /** A command's output, or "" when it failed (for polling). */
    private static String out(String command) {
        try {
            return admin(command).out();
        } catch (Exception e) {
            return "";
        }
    }

    private static long framesIn(String leg) {
        try {
            Matcher f = Pattern.compile("audio:\\s+(\\d+) frames in").matcher(admin("call:show " + leg).out());
            return f.find() ? Long.parseLong(f.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    @Order(9)
    void aTechnicianRunsTheBoxButNotItsUsers() throws Exception {
        Appliance.Result add = admin("auth:add li.wei --role technician --generate");
        Matcher m = Pattern.compile("shown once\\): (\\S+)").matcher(add.out());
        assertThat(m.find()).as(add.out()).isTrue();
        String pw = m.group(1);

        assertThat(box.exec("li.wei", pw, "line:list").out()).contains("lab-1");
        assertThat(box.exec("li.wei", pw, "hw:profile").out()).contains("Profile:     lab");
        Appliance.Result users = box.exec("li.wei", pw, "auth:users");
        assertThat(users.exit()).isNotZero();
        assertThat(users.out()).doesNotContain("admin:");
        assertThat(box.exec("li.wei", pw, "auth:passwd admin --generate").exit()).isNotZero();
        assertThat(box.exec("li.wei", pw, "shell:exec id").exit()).isNotZero();
        assertThat(box.exec("li.wei", pw, "feature:install wrap").exit()).isNotZero();
        assertThat(box.canLogIn("admin", adminPassword)).as("the admin's password is unchanged").isTrue();
    }

    @Test
    @Order(10)
    void aRestartKeepsUsersDatabaseAndProfile() throws Exception {
        box.stop();
        box.start();
        box.awaitReady("admin", adminPassword);

        assertThat(box.canLogIn("admin", adminPassword)).isTrue();
        assertThat(admin("store:info").out()).contains("State:       OPEN").doesNotContain("Last backup: never");
        assertThat(admin("line:list").out()).contains("lab-4");
    }

    @Test
    @Order(11)
    void aDamagedDatabaseIsReportedAndTheDocumentedRestoreBringsItBack() throws Exception {
        box.stop();
        Path db = box.home.resolve("data/switchboard/db");
        try (var files = Files.list(db.resolve("seg0"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".dat")).toList()) {
                byte[] b = Files.readAllBytes(p);
                java.util.Arrays.fill(b, 0, Math.min(b.length, 512), (byte) 0);
                Files.write(p, b);
            }
        }
        box.start();
        Appliance.waitFor("the lines (the box boots without its database)", Duration.ofSeconds(90), () -> {
            try {
                return admin("line:list").out().contains("lab-1");
            } catch (Exception e) {
                return false;
            }
        });
        Appliance.Result info = admin("store:info");
        assertThat(info.out()).contains("State:       FAILED").contains("is damaged").contains("nothing was changed or deleted");
        assertNoStackTrace(info);
        assertThat(admin("store:backup /tmp/x").exit()).isNotZero();

        box.stop();
        Path backup;
        try (var dirs = Files.list(box.home.resolve("backups"))) {
            backup = dirs.sorted().findFirst().orElseThrow();
        }
        Appliance.run(box.home, "mv", "data/switchboard/db", "data/switchboard/db.broken");
        Appliance.run(box.home, "mv", "data/switchboard/db.credentials", "data/switchboard/db.credentials.broken");
        Appliance.run(box.home, "cp", "-rp", backup.resolve("db").toString(), "data/switchboard/db");
        Appliance.run(box.home, "cp", "-p", backup.resolve("db.credentials").toString(), "data/switchboard/db.credentials");
        box.start();
        box.awaitReady("admin", adminPassword);
        assertThat(admin("store:info").out()).contains("State:       OPEN");
        assertThat(box.home.resolve("data/switchboard/db.broken/service.properties")).exists();
    }
}
