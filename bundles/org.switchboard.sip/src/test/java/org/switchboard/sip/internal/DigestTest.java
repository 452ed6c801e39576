package org.switchboard.sip.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DigestTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void responsesMatchTheRfcExamples() {
        // RFC 2617 section 3.5 (MD5, qop=auth)
        String ha1 = Digest.ha1(Digest.Algorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        assertThat(Digest.response(Digest.Algorithm.MD5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b",
                "GET", "/dir/index.html")).isEqualTo("6629fae49393a05397450978507c4ef1");
        // RFC 7616 section 3.9.1 (SHA-256, qop=auth)
        String ha1s = Digest.ha1(Digest.Algorithm.SHA_256, "Mufasa", "http-auth@example.org", "Circle of Life");
        assertThat(Digest.response(Digest.Algorithm.SHA_256, ha1s, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001",
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "GET", "/dir/index.html"))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    private static Map<String, String> answer(Digest d, String challenge, Digest.Algorithm alg, String password, String nc) {
        Map<String, String> c = Digest.parse(challenge);
        Map<String, String> a = new HashMap<>();
        a.put("username", "1001");
        a.put("realm", c.get("realm"));
        a.put("nonce", c.get("nonce"));
        a.put("uri", "sip:127.0.0.1");
        a.put("algorithm", alg.token);
        a.put("qop", "auth");
        a.put("nc", nc);
        a.put("cnonce", "abc123");
        String ha1 = Digest.ha1(alg, "1001", d.realm(), password);
        a.put("response", Digest.response(alg, ha1, c.get("nonce"), nc, "abc123", "REGISTER", "sip:127.0.0.1"));
        return a;
    }

    @Test
    void theRightPasswordPassesWithEitherAlgorithmOnceEach() {
        TestClock clock = new TestClock();
        Digest d = new Digest("switchboard", clock);
        String[] ch = d.challenges(false);
        assertThat(ch[0]).contains("algorithm=SHA-256").contains("qop=\"auth\"");
        assertThat(ch[1]).contains("algorithm=MD5");

        for (Digest.Algorithm alg : Digest.Algorithm.values()) {
            String challenge = alg == Digest.Algorithm.SHA_256 ? ch[0] : ch[1];
            String ha1 = Digest.ha1(alg, "1001", "switchboard", "s3cret-pass");
            Map<String, String> first = answer(d, challenge, alg, "s3cret-pass", "00000001");
            if (alg == Digest.Algorithm.MD5) {
                first.put("nonce", Digest.parse(d.challenges(false)[1]).get("nonce"));
                first.put("response", Digest.response(alg, ha1, first.get("nonce"), "00000001", "abc123", "REGISTER", "sip:127.0.0.1"));
            }
            assertThat(d.verify(first, "REGISTER", ha1)).isEqualTo(Digest.Verdict.OK);
            assertThat(d.verify(first, "REGISTER", ha1)).as("the same nonce count again").isEqualTo(Digest.Verdict.REPLAY);
        }
    }

    @Test
    void wrongPasswordsForgedNoncesAndOldNoncesAreTold() {
        TestClock clock = new TestClock();
        Digest d = new Digest("switchboard", clock);
        String ha1 = Digest.ha1(Digest.Algorithm.MD5, "1001", "switchboard", "s3cret-pass");
        String challenge = d.challenges(false)[1];

        assertThat(d.verify(answer(d, challenge, Digest.Algorithm.MD5, "guess", "00000001"), "REGISTER", ha1))
                .isEqualTo(Digest.Verdict.WRONG);

        Digest other = new Digest("switchboard", clock);
        String foreign = other.challenges(false)[1];
        assertThat(d.verify(answer(d, foreign, Digest.Algorithm.MD5, "s3cret-pass", "00000001"), "REGISTER", ha1))
                .as("a nonce this box did not sign").isEqualTo(Digest.Verdict.WRONG);

        Map<String, String> good = answer(d, challenge, Digest.Algorithm.MD5, "s3cret-pass", "00000002");
        clock.now = clock.now.plus(Digest.NONCE_LIFETIME).plusSeconds(1);
        assertThat(d.verify(good, "REGISTER", ha1)).isEqualTo(Digest.Verdict.STALE);
        assertThat(d.challenges(true)[0]).contains("stale=true");

        Map<String, String> broken = new HashMap<>(good);
        broken.remove("nonce");
        assertThat(d.verify(broken, "REGISTER", ha1)).isEqualTo(Digest.Verdict.MALFORMED);
        broken = new HashMap<>(good);
        broken.put("realm", "elsewhere");
        assertThat(d.verify(broken, "REGISTER", ha1)).isEqualTo(Digest.Verdict.MALFORMED);
        broken = new HashMap<>(good);
        broken.put("algorithm", "SHA-512-256");
        assertThat(d.verify(broken, "REGISTER", ha1)).isEqualTo(Digest.Verdict.MALFORMED);
        assertThat(d.nonceTime("not-base64!!")).isEqualTo(-1);
    }

    @Test
    void headerValuesAreParsedWithQuotesAndCommas() {
        Map<String, String> p = Digest.parse("Digest username=\"10\\\"01\", realm=\"a, b\",nonce=xyz , uri=\"sip:x\",  qop=auth, nc=00000001");
        assertThat(p).containsEntry("username", "10\"01").containsEntry("realm", "a, b").containsEntry("nonce", "xyz")
                .containsEntry("uri", "sip:x").containsEntry("qop", "auth").containsEntry("nc", "00000001");
    }
}
