package org.switchboard.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The IVR in the firmware image with the router: the shipped menus serve, a dry run, a broken
 * menu refused with its line, a lab caller who presses a key during the welcome prompt reaches
 * the number behind it, a caller who waits shows in ivr:calls and stays on the old version of a
 * menu changed under them, and uninstalling the IVR sends that caller to the fallback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IvrIT {

    private static Appliance box;
    private static String pw;

    @BeforeAll
    static void boot() throws Exception {
        box = Appliance.boot("ivr");
        pw = box.initialAdminPassword();
        box.awaitReady("admin", pw);
        Path etc = box.home.resolve("etc");
        Files.writeString(etc.resolve("switchboard-routes.yaml"), """
                timezone: UTC
                routes:
                  - name: self-service on lab-4
                    line: lab-4
                    to: ivr:self
                  - name: lab lines to the test menu
                    line: lab-*
                    to: ivr:test
                """);
        Files.writeString(etc.resolve("ivr/test.yaml"), """
                language: en
                languages: [en, zh]
                nodes:
                  welcome:
                    prompts: [welcome, menu-main]
                    timeout: 20
                    options:
                      "1": external:lab-2:13800000002
                      "9": repeat
                """);
        Files.writeString(etc.resolve("ivr/self.yaml"), """
                language: en
                languages: [en, zh]
                nodes:
                  number:
                    prompts: [enter-digits]
                    timeout: 20
                    collect: {min: 4, max: 8, terminator: "#", action: echo}
                    results:
                      ok: hangup
                """);
        Appliance.Result r = box.exec("admin", pw, "feature:install switchboard-router switchboard-ivr");
        assertThat(r.ok()).as(r.out()).isTrue();
        // both boot with the image and read changed files within 2 s
        Appliance.waitFor("the test's routes and menus", Duration.ofSeconds(20), () -> {
            try {
                return box.exec("admin", pw, "router:routes").out().contains("lab lines to the test menu")
                        && box.exec("admin", pw, "ivr:list").out().contains("self");
            } catch (Exception e) {
                return false;
            }
        });
        // where callers in menus go if the IVR goes away: a number on lab-4 (a technician's choice)
        r = box.exec("admin", pw, "config:property-set -p org.switchboard.ivr fallback external:lab-4:13800000004");
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
    void theShippedMenusServeAndADryRunShowsWhereKeysLead() throws Exception {
        Appliance.waitFor("menus loaded", Duration.ofSeconds(20), () -> out("ivr:list").contains("test"));
        assertThat(out("ivr:list")).containsPattern("main\\s*\\| 2\\s*\\| zh,en\\s*\\|.*serving").containsPattern("after-hours.*serving");
        String walk = out("ivr:walk main --digits 2,1");
        assertThat(walk).contains("[welcome] plays [welcome, menu-main, english] in zh (keys cut it)").contains("caller presses 2")
                .contains("[support] plays [menu-main] in zh").contains("=> queue:support");
        assertThat(out("ivr:walk main --digits 7,-,-")).contains("plays [invalid, welcome, menu-main, english]")
                .contains("plays [timeout, welcome, menu-main, english]").contains("=> queue:general");
        assertThat(out("ivr:walk main --digits 8,1002")).contains("in en").contains("=> extension:1002");
        assertThat(out("ivr:show after-hours")).contains("then -> hangup");
        assertThat(out("ivr:walk nope")).contains("no menu 'nope'");
    }

    @Test
    @Order(2)
    void aBrokenMenuIsRefusedWithItsLine() throws Exception {
        Path bad = box.home.resolve("etc/ivr/bad.yaml");
        Files.writeString(bad, """
                nodes:
                  start:
                    prompts: [no-such-prompt]
                    options:
                      "1": ivr:nowhere
                """);
        String v = out("ivr:validate etc/ivr/bad.yaml");
        assertThat(v).contains("bad.yaml: 2 problems").contains("bad.yaml:3:14: nodes.start.prompts: prompt 'no-such-prompt' for zh:")
                .contains("bad.yaml:5:12: nodes.start.options.1: no menu 'nowhere'");
        Appliance.waitFor("refused", Duration.ofSeconds(10), () -> out("ivr:list").contains("REFUSED"));
        Files.delete(bad);
    }

    @Test
    @Order(3)
    void aCallerPressingAKeyDuringTheWelcomeReachesTheNumberBehindIt() throws Exception {
        out("line:simulate-call lab-1 --from 13800138000 --digits 1");
        Pattern bridged = Pattern.compile("lab-1/\\d+\\s*\\| lab-1\\s*\\| in\\s*\\| BRIDGED");
        Appliance.waitFor("connected to lab-2", Duration.ofSeconds(20), () -> bridged.matcher(out("call:list")).find());
        assertThat(out("call:list")).containsPattern("lab-2/\\d+\\s*\\| lab-2\\s*\\| out\\s*\\| BRIDGED\\s*\\| 13800138000\\s*\\| 13800000002");
        assertThat(out("log:display")).contains("key 1 in menu test node welcome -> external:lab-2:13800000002");
        out("line:simulate-hangup lab-1");
        Appliance.waitFor("lab-2 free again", Duration.ofSeconds(20), () -> !out("call:list").contains("lab-2/"));
    }

    @Test
    @Order(3)
    void selfServiceHandsTheKeyedDigitsToTheActionAndSaysItsAnswer() throws Exception {
        assertThat(out("ivr:walk self --digits 12,1234")).contains("plays [invalid, enter-digits]")
                .contains("=> IVR action echo gets 1234");
        out("line:simulate-call lab-4 --from 13700000004 --digits 4321#");
        Appliance.waitFor("the action ran", Duration.ofSeconds(20), () -> out("log:display").contains("IVR action echo with 4 digits -> ok"));
        Appliance.waitFor("the IVR hung up after saying the digits", Duration.ofSeconds(20), () -> !out("call:list").contains("lab-4/"));
    }

    @Test
    @Order(3)
    void keysSentAsInBandTonesFromAGsmCallerReachTheirDestination() throws Exception {
        Appliance.waitFor("GSM line online", Duration.ofSeconds(20), () -> out("line:list").matches("(?s).*lab-gsm-1\\s*\\|.*\\| ONLINE.*"));
        assertThat(out("line:sim lab-gsm-1 ring --from 13912345678")).contains("ring done");
        Appliance.waitFor("the GSM caller in the menu", Duration.ofSeconds(20),
                () -> out("ivr:calls").matches("(?s).*lab-gsm-1/\\d+\\s*\\| 13912345678\\s*\\| test\\s*\\| welcome.*"));
        assertThat(out("line:sim lab-gsm-1 keys --keys 1")).contains("keys done");
        Pattern bridged = Pattern.compile("lab-gsm-1/\\d+\\s*\\| lab-gsm-1\\s*\\| in\\s*\\| BRIDGED");
        Appliance.waitFor("the in-band 1 took the caller to lab-2", Duration.ofSeconds(20), () -> bridged.matcher(out("call:list")).find());
        assertThat(out("log:display")).contains("key 1 in menu test node welcome -> external:lab-2:13800000002");
        out("line:sim lab-gsm-1 hangup");
        Appliance.waitFor("ended", Duration.ofSeconds(20), () -> !out("call:list").contains("lab-gsm-1/"));
    }

    @Test
    @Order(4)
    void aWaitingCallerKeepsTheirMenuVersionAndGoesToTheFallbackWhenTheIvrIsRemoved() throws Exception {
        out("line:simulate-call lab-3 --from 13900000003");
        Appliance.waitFor("in the menu", Duration.ofSeconds(10), () -> out("ivr:calls").matches("(?s).*lab-3/\\d+\\s*\\| 13900000003\\s*\\| test\\s*\\| welcome\\s*\\| en.*"));
        Files.writeString(box.home.resolve("etc/ivr/test.yaml"), """
                language: en
                languages: [en, zh]
                nodes:
                  welcome:
                    prompts: [goodbye]
                    then: hangup
                """);
        Appliance.waitFor("reloaded", Duration.ofSeconds(10), () -> out("ivr:show test").contains("then -> hangup"));
        assertThat(out("ivr:calls")).containsPattern("lab-3/\\d+\\s*\\| 13900000003\\s*\\| test\\s*\\| welcome");

        assertThat(out("feature:uninstall switchboard-ivr")).doesNotContain("Error");
        Pattern fallback = Pattern.compile("lab-4/\\d+\\s*\\| lab-4\\s*\\| out\\s*\\| BRIDGED\\s*\\| 13900000003\\s*\\| 13800000004");
        Appliance.waitFor("the caller at the fallback number", Duration.ofSeconds(20), () -> fallback.matcher(out("call:list")).find());
    }
}
