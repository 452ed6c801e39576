package org.switchboard.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.spi.LineKind;

class RouteTableTest {

    static final String FILE = """
            # a company in Beijing
            timezone: Asia/Shanghai
            schedules:
              office:
                mon-fri: 09:00-12:00, 13:30-18:00
                sat: 09:00-12:00
              night-desk:
                daily: 22:00-06:00
            holidays:
              - 2026-10-01..2026-10-07
              - 2027-01-01
            workdays: [2026-10-10]
            lists:
              vip: [13800138000, "1391234*"]
              blocked: "400*, +86400*"
            routes:
              - name: blocked
                from: list:blocked
                to: reject:CALL_REJECTED
              - name: vip
                from: list:vip
                to: queue:vip
              - name: anonymous
                from: withheld
                to: ivr:anonymous
              - name: sales in office hours
                did: 0106666000X
                when: office
                to: ivr:main
              - name: holiday
                when: holiday
                to: message:holiday
              - name: night desk
                line: lab-*
                when: night-desk
                to: extension:1001
              - name: carrier after hours
                trunk: carrier
                when: not office
                to: voicemail:100
            fallback: message:after-hours
            """;

    static RouteTable table() {
        RoutesFile.Result r = RoutesFile.parse(FILE, "routes.yaml");
        assertThat(r.problems()).isEmpty();
        return r.table();
    }

    static String to(RouteTable t, String line, LineKind kind, String did, CallerId from, String at) {
        return t.decide(new RouteTable.CallFacts(line, kind, did, from,
                ZonedDateTime.of(java.time.LocalDateTime.parse(at), ZoneId.of("Asia/Shanghai")))).destination().toString();
    }

    @Test
    void officeHoursLunchEveningsAndSaturdays() {
        RouteTable t = table();
        CallerId c = CallerId.of("01012345678");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-11-23T09:00")).isEqualTo("ivr:main"); // Monday 09:00 opens
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-11-23T08:59")).isEqualTo("message:after-hours");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-11-23T12:30")).isEqualTo("message:after-hours"); // lunch
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-11-23T17:59")).isEqualTo("ivr:main");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-11-23T18:00")).isEqualTo("message:after-hours"); // end excluded
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-11-28T11:00")).isEqualTo("ivr:main"); // Saturday
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-11-29T11:00")).isEqualTo("message:after-hours"); // Sunday
    }

    @Test
    void overnightScheduleCrossesMidnightAndHolidaysAndWorkingWeekends() {
        RouteTable t = table();
        CallerId c = CallerId.of("01012345678");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "999", c, "2026-11-23T23:30")).isEqualTo("extension:1001");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "999", c, "2026-11-24T00:00")).isEqualTo("extension:1001");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "999", c, "2026-11-24T05:59")).isEqualTo("extension:1001");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "999", c, "2026-11-24T06:00")).isEqualTo("message:after-hours");
        // National Day: closed although a Thursday; the holiday route catches it
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-10-01T10:00")).isEqualTo("message:holiday");
        // Saturday 10 October 2026 is worked as a weekday: the afternoon is open
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", c, "2026-10-10T15:00")).isEqualTo("ivr:main");
    }

    @Test
    void timeIsTakenInTheRoutesTimeZone() {
        RouteTable t = table();
        // 02:00 in Berlin on Monday is 09:00 in Beijing
        ZonedDateTime berlin = ZonedDateTime.of(java.time.LocalDateTime.parse("2026-11-23T02:00"), ZoneId.of("Europe/Berlin"));
        assertThat(t.decide(new RouteTable.CallFacts("lab-1", LineKind.SIMULATED, "01066660001", CallerId.of("1"), berlin))
                .destination().toString()).isEqualTo("ivr:main");
    }

    @Test
    void callerListsComeFirstAndWithheldNumbersHaveTheirRoute() {
        RouteTable t = table();
        String at = "2026-11-23T10:00";
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", CallerId.of("4008123456"), at)).isEqualTo("reject:CALL_REJECTED");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", CallerId.of("+864008123456"), at)).isEqualTo("reject:CALL_REJECTED");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", CallerId.of("13912345678"), at)).isEqualTo("queue:vip");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", CallerId.of("13800138000"), at)).isEqualTo("queue:vip");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", CallerId.withheld(), at)).isEqualTo("ivr:anonymous");
        assertThat(to(t, "lab-1", LineKind.SIMULATED, "01066660001", CallerId.UNKNOWN, at)).isEqualTo("ivr:main");
    }

    @Test
    void trunkRoutesApplyOnlyToThatTrunk() {
        RouteTable t = table();
        assertThat(to(t, "carrier", LineKind.SIP_TRUNK, "999", CallerId.of("1"), "2026-11-23T20:00")).isEqualTo("voicemail:100");
        assertThat(to(t, "other", LineKind.SIP_TRUNK, "999", CallerId.of("1"), "2026-11-23T20:00")).isEqualTo("message:after-hours");
        assertThat(to(t, "carrier", LineKind.ANALOG, "999", CallerId.of("1"), "2026-11-23T20:00")).isEqualTo("message:after-hours");
    }

    @Test
    void theDecisionSaysWhyEachEarlierRouteDidNotMatch() {
        RouteTable.Decision d = table().decide(new RouteTable.CallFacts("lab-1", LineKind.SIMULATED, "01066660001", CallerId.of("13912345678"),
                ZonedDateTime.of(java.time.LocalDateTime.parse("2026-11-23T10:00"), ZoneId.of("Asia/Shanghai"))));
        assertThat(d.route().name()).isEqualTo("vip");
        assertThat(d.why()).containsExactly(
                "route 'blocked' does not match: caller 13912345678 is not list:blocked",
                "route 'vip' (line 20) matches: from list:vip");
    }

    @Test
    void numberPatterns() {
        assertThat(NumberPattern.of("1XXXXXXXXXX").matches("13800138000")).isTrue();
        assertThat(NumberPattern.of("1XXXXXXXXXX").matches("1380013800")).isFalse();
        assertThat(NumberPattern.of("010N*").matches("01066660001")).isTrue();
        assertThat(NumberPattern.of("010N*").matches("01016660001")).isFalse();
        assertThat(NumberPattern.of("+86?0*").matches("+86400123")).isTrue();
        assertThatThrownBy(() -> NumberPattern.of("13[0-9]")).hasMessageContaining("allowed: digits");
    }
}
