package org.switchboard.sip.internal;

import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceGuardTest {

    private final DigestTest.TestClock clock = new DigestTest.TestClock();
    private final SourceGuard guard = new SourceGuard(
            new SourceGuard.Limits(5, Duration.ofMinutes(1), Duration.ofMinutes(10), 2, 1), clock);

    @Test
    void failedAuthenticationsLockTheAddressOutForAWhile() throws Exception {
        InetAddress scanner = InetAddress.getByName("203.0.113.9");
        InetAddress phone = InetAddress.getByName("192.168.1.20");
        for (int i = 1; i < 5; i++) {
            assertThat(guard.failed(scanner, "100")).isFalse();
        }
        assertThat(guard.failed(scanner, "101")).isTrue();

        assertThat(guard.admit(scanner, "OPTIONS")).isFalse();
        assertThat(guard.admit(phone, "REGISTER")).as("other sources are not affected").isTrue();
        assertThat(guard.blocked()).singleElement().satisfies(b -> {
            assertThat(b.address()).isEqualTo(scanner);
            assertThat(b.lastUser()).isEqualTo("101");
            assertThat(b.failures()).isEqualTo(5);
        });

        clock.now = clock.now.plus(Duration.ofMinutes(10)).plusSeconds(1);
        assertThat(guard.admit(scanner, "OPTIONS")).as("the lockout expires").isTrue();
        assertThat(guard.blocked()).isEmpty();
    }

    @Test
    void failuresSpreadOutOrFollowedBySuccessDoNotLock() throws Exception {
        InetAddress a = InetAddress.getByName("192.168.1.30");
        for (int i = 0; i < 20; i++) {
            assertThat(guard.failed(a, "100")).isFalse();
            clock.now = clock.now.plusSeconds(20);
            if (i % 2 == 1) {
                clock.now = clock.now.plusSeconds(30);
            }
            if (i % 4 == 3) {
                guard.succeeded(a);
            }
        }
        assertThat(guard.blocked()).isEmpty();
    }

    @Test
    void invitesAndRegistersAreRateLimitedPerSource() throws Exception {
        InetAddress a = InetAddress.getByName("10.1.1.1");
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            if (guard.admit(a, "INVITE")) {
                admitted++;
            }
        }
        assertThat(admitted).as("a burst of twice the rate").isEqualTo(4);
        clock.now = clock.now.plusSeconds(1);
        assertThat(guard.admit(a, "INVITE")).isTrue();
        assertThat(guard.admit(a, "INVITE")).isTrue();
        assertThat(guard.admit(a, "INVITE")).isFalse();
        assertThat(guard.admit(a, "BYE")).as("in-dialog requests are not limited").isTrue();
        assertThat(guard.refusedRequests()).isEqualTo(17);
    }

    @Test
    void unblockingByHand() throws Exception {
        InetAddress a = InetAddress.getByName("198.51.100.7");
        for (int i = 0; i < 5; i++) {
            guard.failed(a, "x");
        }
        assertThat(guard.unblock(a)).isTrue();
        assertThat(guard.admit(a, "REGISTER")).isTrue();
        assertThat(guard.unblock(InetAddress.getByName("198.51.100.8"))).isFalse();
    }

    @Test
    void networksParseAndMatch() throws Exception {
        Networks n = Networks.parse("192.168.1.0/24, 10.0.0.5");
        assertThat(n.allows(InetAddress.getByName("192.168.1.200"))).isTrue();
        assertThat(n.allows(InetAddress.getByName("192.168.2.1"))).isFalse();
        assertThat(n.allows(InetAddress.getByName("10.0.0.5"))).isTrue();
        assertThat(n.allows(InetAddress.getByName("10.0.0.6"))).isFalse();
        assertThat(Networks.parse("").allows(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(n.toString()).isEqualTo("192.168.1.0/24, 10.0.0.5/32");
        assertThatThrownBy(() -> Networks.parse("192.168.1.0/33")).hasMessageContaining("prefix must be 0..32");
        assertThatThrownBy(() -> Networks.parse("office")).hasMessageContaining("'office' is not a network");
    }
}
