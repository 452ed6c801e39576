package org.switchboard.sip.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The client side of digest: the Authorization value answering a carrier's challenge, with MD5
 * or SHA-256 (RFC 8760), qop=auth when offered. (JAIN-SIP's helper only does MD5.)
 */
final class ClientDigest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientDigest() {
    }

    /**
     * @param challenge the WWW-Authenticate / Proxy-Authenticate value
     * @return the Authorization / Proxy-Authorization value, or null when the algorithm is not MD5 or SHA-256
     */
    static String answer(String challenge, String user, String password, String method, String uri, int nc) {
        Map<String, String> c = Digest.parse(challenge);
        Digest.Algorithm alg = Digest.Algorithm.of(c.get("algorithm"));
        if (alg == null) {
            return null;
        }
        String realm = c.getOrDefault("realm", "");
        String nonce = c.getOrDefault("nonce", "");
        String ha1 = Digest.ha1(alg, user, realm, password);
        String qop = c.get("qop");
        boolean auth = qop != null && java.util.Arrays.stream(qop.split(",")).anyMatch(q -> q.trim().equalsIgnoreCase("auth"));
        StringBuilder sb = new StringBuilder("Digest username=\"").append(user).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append('"');
        if (auth) {
            String ncText = String.format("%08x", nc);
            byte[] cb = new byte[8];
            RANDOM.nextBytes(cb);
            String cnonce = HexFormat.of().formatHex(cb);
            sb.append(", response=\"").append(Digest.response(alg, ha1, nonce, ncText, cnonce, method, uri))
                    .append("\", qop=auth, nc=").append(ncText).append(", cnonce=\"").append(cnonce).append('"');
        } else {
            sb.append(", response=\"").append(Digest.response(alg, ha1, nonce, null, null, method, uri)).append('"');
        }
        sb.append(", algorithm=").append(alg.token);
        if (c.containsKey("opaque")) {
            sb.append(", opaque=\"").append(c.get("opaque")).append('"');
        }
        return sb.toString();
    }
}
