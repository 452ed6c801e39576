package org.switchboard.firmware;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The router in the firmware image, installed at run time as a technician would: the shipped
 * routes, a routes file edited while the box runs (applied within seconds, a broken one refused
 * with its line while the old routes keep serving), calls on the lab lines routed to a block list
 * and to an outside number on another line, router:test, and removing the router under a call.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterIT {

    private static Appliance box;
    private static String pw;
    private static Path routes;

    @BeforeAll
    static void boot() throws Exception {
        box = Appliance.boot("router");
        pw = box.initialAdminPassword();
        box.awaitReady("admin", pw);
        routes = box.home.resolve("etc/switchboard-routes.yaml");
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (box != null) {
            box.close();
        }
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
    void bootedWithTheImageItShowsTheShippedRoutes() throws Exception {
        assertThat(out("feature:list -i")).contains("switchboard-router").contains("switchboard-ivr")
                .contains("switchboard-voicemail");
        Appliance.waitFor("router commands", Duration.ofSeconds(20), () -> out("router:routes").contains("office hours"));
        String r = out("router:routes");
        assertThat(r).contains("Time zone:   Asia/Shanghai").contains("SIP trunk DIDs").contains("extension")
                .contains("Fallback:    voicemail:general").contains("Schedule office: mon 09:00-12:00, 13:30-18:00")
                .contains("Served:      callback, extension, external, ivr, message, survey, voicemail, reject");
        String t = out("router:test --line lab-1 --from 13800138000 --at 2026-11-23T10:00");
        assertThat(t).contains("route 'office hours' (line").contains("=> ivr:main").doesNotContain("nothing serves");
        assertThat(out("router:test --line lab-1 --at 2026-11-23T20:00")).contains("does not match: 2026-11-23T20:00 Asia/Shanghai is not within schedule 'office'")
                .contains("=> ivr:after-hours");
        assertThat(out("router:test --line nope")).contains("no line 'nope'");
    }

    @Test
    @Order(2)
    void anEditedRoutesFileAppliesToTheNextCall() throws Exception {
        Files.writeString(routes, """
                timezone: UTC
                lists:
                  blocked: ["400*"]
                routes:
                  - name: blocked
                    from: list:blocked
                    to: reject:USER_BUSY
                  - name: lab-1 to the mobile
                    line: lab-1
                    to: external:lab-2:13800000002
                  - name: others
                    to: queue:sales
                fallback: reject:NORMAL_TEMPORARY_FAILURE
                """);
        Appliance.waitFor("the new routes", Duration.ofSeconds(10), () -> out("router:routes").contains("lab-1 to the mobile"));

        admin("line:simulate-call lab-1 --from 4008123456");
        Appliance.waitFor("the blocked caller released", Duration.ofSeconds(10), () -> !out("call:list").contains("lab-1/"));
        assertThat(out("log:display")).contains("from 4008123456 to '01066660001': route 'blocked' -> reject:USER_BUSY");

        admin("line:simulate-call lab-1 --from 13800138000");
        Pattern bridged = Pattern.compile("(\\S+)\\s*\\| lab-1/\\d+\\s*\\| lab-1\\s*\\| in\\s*\\| BRIDGED");
        Appliance.waitFor("the caller connected to the number on lab-2", Duration.ofSeconds(15),
                () -> bridged.matcher(out("call:list")).find());
        String calls = out("call:list");
        assertThat(calls).containsPattern("lab-2/\\d+\\s*\\| lab-2\\s*\\| out\\s*\\| BRIDGED\\s*\\| 13800138000\\s*\\| 13800000002");
        Matcher m = bridged.matcher(calls);
        assertThat(m.find()).isTrue();
        admin("call:hangup " + m.group(1));
    }

    @Test
    @Order(3)
    void aBrokenRoutesFileIsRefusedWithItsLineAndTheOldRoutesKeepServing() throws Exception {
        Files.writeString(routes, """
                routes:
                  - name: typo
                    when: ofice
                    to: ivr:main
                """);
        Appliance.waitFor("the refusal", Duration.ofSeconds(10), () -> out("router:routes").contains("Last change REFUSED"));
        String r = out("router:routes");
        assertThat(r).contains("switchboard-routes.yaml:3:11: routes[0].when: no schedule 'ofice'; allowed: holiday")
                .contains("lab-1 to the mobile");
        assertThat(out("router:test --line lab-3 --from 13800138000")).contains("route 'others'")
                .contains("=> queue:sales  (nothing serves 'queue' now: the call would go to the fallback reject:NORMAL_TEMPORARY_FAILURE)");
    }

    @Test
    @Order(4)
    void removingTheRouterKeepsTheCallsItRouted() throws Exception {
        admin("line:simulate-call lab-1 --from 13800138000");
        Pattern bridged = Pattern.compile("(\\S+)\\s*\\| lab-1/\\d+\\s*\\| lab-1\\s*\\| in\\s*\\| BRIDGED");
        Appliance.waitFor("connected", Duration.ofSeconds(15), () -> bridged.matcher(out("call:list")).find());
        Appliance.Result un = admin("feature:uninstall switchboard-router");
        assertThat(un.ok()).as(un.out()).isTrue();
        assertThat(out("call:list")).containsPattern("lab-1/\\d+\\s*\\| lab-1\\s*\\| in\\s*\\| BRIDGED");
        assertThat(out("router:routes")).contains("Command not found");
    }
}
