package org.switchboard.sip.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** etc/org.switchboard.sip.trunk-NAME.cfg: what is accepted, and what each mistake is told. */
class TrunkOptionsTest {

    /** A trunk configuration: the given keys, the defaults for the rest. */
    static TrunkConfig config(Map<String, Object> values) {
        return (TrunkConfig) Proxy.newProxyInstance(TrunkConfig.class.getClassLoader(), new Class<?>[] {TrunkConfig.class},
                (proxy, m, args) -> values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue());
    }

    @Test
    void aGoodFileGivesTheTrunkWithDefaults() {
        List<String> problems = new ArrayList<>();
        SipTrunk.Options o = SipTrunk.Options.from(config(Map.of("name", "carrier", "host", "192.0.2.10", "username", "0105858",
                "password", "pw", "dids", "01058580000>1001, 01058580001")), problems);

        assertThat(problems).isEmpty();
        assertThat(o.domain()).isEqualTo("192.0.2.10");
        assertThat(o.authUsername()).isEqualTo("0105858");
        assertThat(o.callerId()).isEqualTo("0105858");
        assertThat(o.dids()).containsEntry("01058580000", "1001").containsEntry("01058580001", "");
        assertThat(o.expires()).isEqualTo(600);
        assertThat(o.optionsInterval().toSeconds()).isEqualTo(30);
    }

    @Test
    void eachMistakeNamesTheKeyAndWhatIsAllowed() {
        List<String> problems = new ArrayList<>();
        SipTrunk.Options.from(config(Map.of("name", "Carrier One", "host", "sip.carrier.example", "port", 70000,
                "transport", "sctp", "expires", 30, "options_interval_seconds", 5, "dids", "0105>1, abc")), problems);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("name = 'Carrier One'").contains("a-z 0-9 - _"))
                .anySatisfy(p -> assertThat(p).startsWith("host = 'sip.carrier.example'").contains("IP address"))
                .anySatisfy(p -> assertThat(p).startsWith("port = 70000").contains("1..65535"))
                .anySatisfy(p -> assertThat(p).startsWith("transport = 'sctp'").contains("udp, tcp"))
                .anySatisfy(p -> assertThat(p).startsWith("expires = 30").contains("60..86400"))
                .anySatisfy(p -> assertThat(p).startsWith("options.interval.seconds = 5"))
                .anySatisfy(p -> assertThat(p).startsWith("dids: '0105>1'").contains("NUMBER>EXTENSION"))
                .anySatisfy(p -> assertThat(p).startsWith("dids: 'abc'"))
                .anySatisfy(p -> assertThat(p).startsWith("register = true needs a username"));
    }

    @Test
    void aFailingRegistrationBacksOffUpToTenMinutes() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToLong(SipTrunk::backoffSeconds).toArray())
                .containsExactly(30, 60, 120, 240, 480, 600, 600, 600);
    }
}
