package org.switchboard.sip.internal;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The trunk's answers to a carrier's challenge, checked by the box's own (server) digest. */
class ClientDigestTest {

    @Test
    void answersAreAcceptedForBothAlgorithmsAndRefusedWithTheWrongPassword() {
        Digest server = new Digest("carrier.test", new DigestTest.TestClock());
        for (int i = 0; i < 2; i++) {
            String challenge = server.challenges(false)[i]; // a fresh nonce each: one nonce count 1 per nonce
            Digest.Algorithm alg = Digest.Algorithm.of(Digest.parse(challenge).get("algorithm"));
            String ha1 = Digest.ha1(alg, "trunkuser", "carrier.test", "right-one");

            String good = ClientDigest.answer(challenge, "trunkuser", "right-one", "REGISTER", "sip:10.0.0.1:5060", 1);
            Map<String, String> p = Digest.parse(good);
            assertThat(p).containsEntry("username", "trunkuser").containsEntry("qop", "auth").containsEntry("nc", "00000001")
                    .containsEntry("algorithm", alg.token);
            assertThat(server.verify(p, "REGISTER", ha1)).isEqualTo(Digest.Verdict.OK);

            String bad = ClientDigest.answer(challenge, "trunkuser", "wrong-one", "REGISTER", "sip:10.0.0.1:5060", 1);
            assertThat(server.verify(Digest.parse(bad), "REGISTER", ha1)).isEqualTo(Digest.Verdict.WRONG);
        }
    }

    @Test
    void aChallengeWithoutQopGetsTheRfc2069FormAndOpaqueIsEchoed() {
        String answer = ClientDigest.answer("Digest realm=\"c\", nonce=\"n1\", opaque=\"op\"", "u", "p", "INVITE", "sip:1@c", 1);
        Map<String, String> p = Digest.parse(answer);
        assertThat(p).doesNotContainKey("qop").containsEntry("opaque", "op").containsEntry("algorithm", "MD5");
        String ha1 = Digest.ha1(Digest.Algorithm.MD5, "u", "c", "p");
        assertThat(p.get("response")).isEqualTo(Digest.response(Digest.Algorithm.MD5, ha1, "n1", null, null, "INVITE", "sip:1@c"));
    }

    @Test
    void anUnknownAlgorithmIsNotAnswered() {
        assertThat(ClientDigest.answer("Digest realm=\"c\", nonce=\"n\", algorithm=SHA-512-256", "u", "p", "REGISTER", "sip:c", 1))
                .isNull();
    }
}
