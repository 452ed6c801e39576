package org.switchboard.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

/**
 * Voicemail and callback requests in the firmware image, reached through routes from the lab
 * lines (whose simulated callers speak a 400 Hz tone): a message ended with #, one ended by the
 * caller hanging up, exported as a WAV that holds the caller's audio, deleted; a callback request;
 * the post-call survey when the agent hangs up first (a score, no key, a wrong key).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VoicemailIT {

    private static Appliance box;
    private static String pw;

    @BeforeAll
    static void boot() throws Exception {
        box = Appliance.boot("voicemail");
        pw = box.initialAdminPassword();
        box.awaitReady("admin", pw);
        Files.writeString(box.home.resolve("etc/switchboard-routes.yaml"), """
                timezone: UTC
                routes:
                  - name: sales voicemail
                    line: lab-1
                    to: voicemail:100
                  - name: call me back
                    line: lab-2
                    to: callback:sales
                  - name: support voicemail
                    line: lab-3
                    to: voicemail:200
                  - name: forwarded to the duty mobile
                    line: lab-4
                    to: external:lab-2:13800000002
                """);
        Appliance.Result r = box.exec("admin", pw, "feature:install switchboard-router switchboard-voicemail");
        assertThat(r.ok()).as(r.out()).isTrue();
        // the router boots with the image and reads a changed file within 2 s
        Appliance.waitFor("the test's routes", Duration.ofSeconds(20),
                () -> out("router:routes").contains("forwarded to the duty mobile"));
        // keep even the shortest message: the test ends its messages as soon as recording starts
        r = box.exec("admin", pw, "config:property-set -p org.switchboard.voicemail min.ms 0");
        assertThat(r.ok()).as(r.out()).isTrue();
        r = box.exec("admin", pw, "config:property-set -p org.switchboard.voicemail survey.timeout.seconds 2");
        assertThat(r.ok()).as(r.out()).isTrue();
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (box != null) {
            box.close();
        }
    }

    private static String out(String command) {
        try {
            return box.exec("admin", pw, command).out();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    @Order(1)
    void aMessageEndedWithHashIsKeptExportedWithTheCallersAudioAndDeleted() throws Exception {
        Appliance.waitFor("vm commands", Duration.ofSeconds(20), () -> out("vm:list").contains("no messages"));
        out("line:simulate-call lab-1 --from 13800138000");
        Appliance.waitFor("recording", Duration.ofSeconds(30), () -> out("vm:list").contains("Recording now: 1"));
        assertThat(out("line:simulate-dtmf lab-1 '#'")).doesNotContain("Error");
        Appliance.waitFor("kept", Duration.ofSeconds(30), () -> out("vm:list 100").contains("13800138000"));
        Appliance.waitFor("the box hangs up after thanking", Duration.ofSeconds(20), () -> !out("call:list").contains("lab-1/"));
        String list = out("vm:list");
        Matcher m = Pattern.compile("(\\d+)\\s*\\| 100\\s*\\| 13800138000\\s*\\|.*\\| key\\s*\\| NEW").matcher(list);
        assertThat(m.find()).as(list).isTrue();
        String id = m.group(1);

        Path dir = Files.createDirectories(box.home.resolve("export"));
        assertThat(out("vm:export " + id + " " + dir)).contains("written to");
        Path wav = dir.resolve("voicemail-" + id + "-100-13800138000.wav");
        byte[] b = Files.readAllBytes(wav);
        assertThat(new String(b, 0, 4)).isEqualTo("RIFF");
        ByteBuffer pcm = ByteBuffer.wrap(b, 44, b.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        int peak = 0;
        while (pcm.remaining() >= 2) {
            peak = Math.max(peak, Math.abs(pcm.getShort()));
        }
        assertThat(peak).as("the caller's 400 Hz tone is in the message").isGreaterThan(1000);
        assertThat(out("vm:list 100")).contains("| yes");

        assertThat(out("vm:delete " + id)).contains("deleted");
        assertThat(out("vm:list 100")).contains("no messages");
        assertThat(out("vm:delete 99999")).contains("no message 99999");
        assertThat(out("vm:export x " + dir)).contains("'x' is not a message id");
    }

    @Test
    @Order(2)
    void aCallerWhoHangsUpLeavesTheMessageSoFar() throws Exception {
        out("line:simulate-call lab-3 --from 13700000003");
        Appliance.waitFor("recording", Duration.ofSeconds(30), () -> out("vm:list").contains("Recording now: 1"));
        out("line:simulate-hangup lab-3");
        Appliance.waitFor("kept", Duration.ofSeconds(30), () -> out("vm:list 200").contains("13700000003"));
        assertThat(out("vm:list 200")).containsPattern("\\| 200\\s*\\| 13700000003\\s*\\|.*\\| hangup\\s*\\| NEW");
    }

    @Test
    @Order(3)
    void aCallbackRequestKeepsTheCallersNumber() throws Exception {
        out("line:simulate-call lab-2 --from 13900000002");
        Appliance.waitFor("the request", Duration.ofSeconds(20), () -> out("vm:callbacks").contains("13900000002"));
        assertThat(out("vm:callbacks")).containsPattern("\\| sales\\s*\\| 13900000002\\s*\\|.*\\| lab-2\\s*\\| waiting");
        Appliance.waitFor("the box hangs up after confirming", Duration.ofSeconds(20), () -> !out("call:list").contains("lab-2/"));
    }

    private static void surveyAfterAgentHangsUp(String keys, int answers) throws Exception {
        out("line:simulate-call lab-4 --from 13600000004");
        Pattern bridged = Pattern.compile("lab-2/\\d+\\s*\\| lab-2\\s*\\| out\\s*\\| BRIDGED");
        Appliance.waitFor("connected to the mobile", Duration.ofSeconds(20), () -> bridged.matcher(out("call:list")).find());
        out("line:simulate-hangup lab-2");
        Pattern asked = Pattern.compile("lab-4/\\d+\\s*\\| lab-4\\s*\\| in\\s*\\| ANSWERED");
        Appliance.waitFor("the mobile gone, the caller asked", Duration.ofSeconds(10), () -> asked.matcher(out("call:list")).find());
        if (!keys.isEmpty()) {
            assertThat(out("line:simulate-dtmf lab-4 " + keys)).doesNotContain("Error");
        }
        Appliance.waitFor("the answer stored", Duration.ofSeconds(30),
                () -> out("survey:results").contains("lab-2:13800000002: " + answers + " asked"));
        Appliance.waitFor("the caller released", Duration.ofSeconds(20), () -> !out("call:list").contains("lab-4/"));
    }

    @Test
    @Order(4)
    void whenTheAgentHangsUpFirstTheCallersRatingIsStoredAndNoKeyOrAWrongKeyIsNotAScore() throws Exception {
        surveyAfterAgentHangsUp("4", 1);
        surveyAfterAgentHangsUp("", 2);
        surveyAfterAgentHangsUp("9", 3);
        String r = out("survey:results");
        assertThat(r).containsPattern("lab-2:13800000002\\s*\\| 13600000004\\s*\\|.*\\| 4/5\\s*\\| scored")
                .containsPattern("\\| -\\s*\\| no-key").containsPattern("\\| -\\s*\\| wrong-key \\(9\\)")
                .contains("lab-2:13800000002: 3 asked, 1 scored, average 4.00");
    }
}
