package org.switchboard.sip.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** etc/org.switchboard.sip.cfg: the defaults, and what each mistake is told. */
class SipOptionsTest {

    /** The SIP configuration: the given keys, the defaults for the rest. */
    static SipConfig config(Map<String, Object> values) {
        return (SipConfig) Proxy.newProxyInstance(SipConfig.class.getClassLoader(), new Class<?>[] {SipConfig.class},
                (proxy, m, args) -> values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue());
    }

    @Test
    void theDefaultsAreUsable() {
        SipOptions o = SipOptions.from(config(Map.of()));

        assertThat(o.problems()).isEmpty();
        assertThat(o.udpPort()).isEqualTo(5060);
        assertThat(o.rtpTimeout().toSeconds()).isEqualTo(60);
        assertThat(o.overloadDelayMs()).isZero();
        assertThat(o.limits().invitesPerSecond()).isEqualTo(10);
    }

    @Test
    void timersCanBeTurnedOffWithZero() {
        SipOptions o = SipOptions.from(config(Map.of("rtp_timeout_seconds", 0, "overload_delay_ms", 0, "nat_keepalive_seconds", 0)));

        assertThat(o.problems()).isEmpty();
        assertThat(o.rtpTimeout()).isZero();
        assertThat(o.natKeepalive()).isZero();
    }

    @Test
    void eachMistakeNamesTheKeyAndWhatIsAllowed() {
        SipOptions o = SipOptions.from(config(Map.of("rtp_timeout_seconds", 5, "overload_delay_ms", 20, "threads", 0,
                "rate_invite_per_second", 0.0, "udp_port", 70000)));

        assertThat(o.problems())
                .anySatisfy(p -> assertThat(p).startsWith("rtp.timeout.seconds = 5").contains("0 (off) or 10..3600"))
                .anySatisfy(p -> assertThat(p).startsWith("overload.delay.ms = 20").contains("0 (off) or 50..10000"))
                .anySatisfy(p -> assertThat(p).startsWith("threads = 0").contains("1..64"))
                .anySatisfy(p -> assertThat(p).startsWith("rate.invite.per.second").contains("0.1..100000"))
                .anySatisfy(p -> assertThat(p).startsWith("udp.port = 70000"));
        // the defaults stand in for the refused values
        assertThat(o.rtpTimeout().toSeconds()).isEqualTo(60);
        assertThat(o.overloadDelayMs()).isZero();
    }
}
