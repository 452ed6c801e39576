package org.switchboard.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesFileTest {

    @Test
    void everyProblemIsReportedWithLineColumnKeyAndWhatIsAllowed() {
        RoutesFile.Result r = RoutesFile.parse("""
                timezone: Mars/Olympus
                schedules:
                  office:
                    weekdays: 09:00-18:00
                    sat: 9-12
                holidays: [2026-13-01]
                lists:
                  vip: ["13[8]"]
                routes:
                  - name: a
                    when: ofice
                    to: ivr:main
                  - name: a
                    from: list:vips
                    to: ivr main
                  - to: queue:x
                    colour: red
                """, "routes.yaml");
        assertThat(r.ok()).isFalse();
        assertThat(r.problems().stream().map(Object::toString)).containsExactly(
                "routes.yaml:1:11: timezone: 'Mars/Olympus' is not a time zone; allowed: a region such as Asia/Shanghai or Europe/Berlin",
                "routes.yaml:4:15: schedules.office.weekdays: 'weekdays' is not a day or days; allowed: mon, tue, wed, thu, fri, sat, sun, ranges like mon-fri, lists like sat,sun, or daily",
                "routes.yaml:5:10: schedules.office.sat: '9' is not a time; allowed: HH:MM from 00:00 to 24:00",
                "routes.yaml:6:11: holidays: '2026-13-01' is not a date; allowed: YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD of at most a year",
                "routes.yaml:8:8: lists.vip: '13[8]' is not a number pattern; allowed: digits, +, #, X (any digit), N (2-9), ? (any one), * (any run), e.g. 010* or 1XXXXXXXXXX",
                "routes.yaml:11:11: routes[0].when: no schedule 'ofice'; allowed: office, holiday, each optionally after 'not '",
                "routes.yaml:13:5: routes[1].name: 'a' is used by another route",
                "routes.yaml:15:9: routes[1].to: 'ivr main' is not a destination; allowed: ivr:MENU, queue:NAME, extension:NUMBER (or a bare extension: as the trunk's DID map says), voicemail:BOX, callback:QUEUE, message:PROMPT, external:LINE:NUMBER, reject or reject:CAUSE",
                "routes.yaml:14:11: routes[1].from: no list 'vips'; lists: vip",
                "routes.yaml:17:5: routes[2].colour: unknown key; allowed here: did, from, line, name, to, trunk, when",
                "routes.yaml:16:5: routes[2].name: missing; every route has a name (shown by router:test)");
    }

    @Test
    void notYamlOrNoRoutes(@TempDir Path dir) throws Exception {
        assertThat(RoutesFile.parse("routes: [a, b\n", "r.yaml").problems().get(0).toString()).startsWith("r.yaml:2:1: not valid YAML");
        assertThat(RoutesFile.parse("timezone: UTC\n", "r.yaml").problems().get(0).toString())
                .isEqualTo("r.yaml:1:1: routes: missing; the file needs a list of routes");
        Path f = dir.resolve("routes.yaml");
        Files.write(f, new byte[] {'r', (byte) 0xC3, 0x28});
        assertThat(RoutesFile.read(f).problems().get(0).message()).isEqualTo("the file is not UTF-8 text");
        assertThat(RoutesFile.read(dir.resolve("none.yaml")).problems().get(0).message()).isEqualTo("no such file");
    }

    @Test
    void theShippedRoutesFileIsValid() {
        Path shipped = Path.of("../../karaf-assembly/src/main/resources/etc/switchboard-routes.yaml");
        RoutesFile.Result r = RoutesFile.read(shipped);
        assertThat(r.problems()).isEmpty();
        assertThat(r.table().routes).isNotEmpty();
    }
}
