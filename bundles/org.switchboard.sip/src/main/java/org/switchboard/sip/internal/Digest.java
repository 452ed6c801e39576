package org.switchboard.sip.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server side of SIP digest authentication (RFC 3261 section 22, RFC 7616 qop=auth, RFC 8760
 * SHA-256). Nonces are self-signed (time + HMAC), so the box needs no state to tell its own from
 * forged ones and knows how old they are; a nonce expires after {@link #NONCE_LIFETIME} (the
 * phone is told {@code stale=true} and retries without asking the user); each nonce count may
 * be used once, so a captured Authorization header cannot be replayed.
 * <p>
 * Only the HA1 values ({@code H(user:realm:password)} for MD5 and for SHA-256) are stored, never
 * the password.
 */
final class Digest {

    /** The two algorithms offered, strongest first. */
    enum Algorithm {
        SHA_256("SHA-256", "SHA-256"), MD5("MD5", "MD5");

        final String token;
        final String jca;

        Algorithm(String token, String jca) {
            this.token = token;
            this.jca = jca;
        }

        static Algorithm of(String token) {
            if (token == null || token.isEmpty() || token.equalsIgnoreCase("MD5")) {
                return MD5;
            }
            return token.equalsIgnoreCase("SHA-256") ? SHA_256 : null;
        }

        String hash(String s) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jca + " missing from the JDK", e);
            }
        }
    }

    static final Duration NONCE_LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_TRACKED_NONCES = 100_000;

    private final String realm;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> lastNonceCount = new ConcurrentHashMap<>();

    private final java.util.List<Algorithm> offered;

    Digest(String realm, Clock clock) {
        this(realm, java.util.List.of(Algorithm.SHA_256, Algorithm.MD5), clock);
    }

    Digest(String realm, java.util.List<Algorithm> offered, Clock clock) {
        this.realm = realm;
        this.offered = offered;
        this.clock = clock;
        random.nextBytes(key);
    }

    String realm() {
        return realm;
    }

    /** HA1 for storing: H(user:realm:password). */
    static String ha1(Algorithm a, String user, String realm, String password) {
        return a.hash(user + ":" + realm + ":" + password);
    }

    /** A fresh nonce: base64(time in ms, 8 random bytes, HMAC of both): unique, dated, unforgeable. */
    String nonce() {
        long now = clock.millis();
        long salt = random.nextLong();
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 16);
        b.putLong(now);
        b.putLong(salt);
        b.put(sign(now, salt), 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private byte[] sign(long time, long salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(16).putLong(time).putLong(salt).array());
            mac.update(realm.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    /** The WWW-Authenticate / Proxy-Authenticate values to send, one per algorithm, in the configured order. */
    String[] challenges(boolean stale) {
        String nonce = nonce();
        String common = "realm=\"" + realm + "\", nonce=\"" + nonce + "\", qop=\"auth\"" + (stale ? ", stale=true" : "");
        return offered.stream().map(a -> "Digest " + common + ", algorithm=" + a.token).toArray(String[]::new);
    }

    /** What checking a response came to. */
    enum Verdict {
        OK, WRONG, STALE, REPLAY, MALFORMED
    }

    /**
     * Checks an Authorization header's parameters.
     *
     * @param params  the header's parameters (lower-case names)
     * @param method  the request method
     * @param ha1     the stored HA1 for the algorithm the client used
     */
    Verdict verify(Map<String, String> params, String method, String ha1) {
        String nonce = params.get("nonce");
        String uri = params.get("uri");
        String response = params.get("response");
        Algorithm alg = Algorithm.of(params.get("algorithm"));
        if (nonce == null || uri == null || response == null || alg == null || !realm.equals(params.get("realm"))) {
            return Verdict.MALFORMED;
        }
        long issued = nonceTime(nonce);
        if (issued < 0) {
            return Verdict.WRONG; // not ours
        }
        String qop = params.get("qop");
        String expected;
        long nc = -1;
        if (qop == null) {
            expected = response(alg, ha1, nonce, null, null, method, uri);
        } else if (qop.equalsIgnoreCase("auth")) {
            String ncText = params.get("nc");
            String cnonce = params.get("cnonce");
            if (ncText == null || cnonce == null) {
                return Verdict.MALFORMED;
            }
            try {
                nc = Long.parseLong(ncText, 16);
            } catch (NumberFormatException e) {
                return Verdict.MALFORMED;
            }
            expected = response(alg, ha1, nonce, ncText, cnonce, method, uri);
        } else {
            return Verdict.MALFORMED;
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.WRONG;
        }
        if (clock.millis() - issued > NONCE_LIFETIME.toMillis()) {
            return Verdict.STALE;
        }
        // each nonce count once: with qop, counts must grow; without, the nonce itself once
        long count = nc < 0 ? 0 : nc;
        if (lastNonceCount.size() > MAX_TRACKED_NONCES) {
            long cutoff = clock.millis() - NONCE_LIFETIME.toMillis();
            lastNonceCount.keySet().removeIf(n -> nonceTime(n) < cutoff);
        }
        Long before = lastNonceCount.get(nonce);
        if (before != null && count <= before) {
            return Verdict.REPLAY;
        }
        lastNonceCount.put(nonce, count);
        return Verdict.OK;
    }

    /** The digest response (RFC 7616 section 3.4.1); {@code nc} null means no qop (RFC 2069). */
    static String response(Algorithm alg, String ha1, String nonce, String nc, String cnonce, String method, String uri) {
        String ha2 = alg.hash(method + ":" + uri);
        return nc == null ? alg.hash(ha1 + ":" + nonce + ":" + ha2)
                : alg.hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    }

    /** When the nonce was issued, or -1 when it is not one of ours. */
    long nonceTime(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (raw.length != 32) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        long time = b.getLong();
        long salt = b.getLong();
        byte[] mac = new byte[16];
        b.get(mac);
        byte[] want = java.util.Arrays.copyOf(sign(time, salt), 16);
        return MessageDigest.isEqual(mac, want) ? time : -1;
    }

    /** Parses the parameters of a Digest credentials value: {@code Digest a="b", c=d}. */
    static Map<String, String> parse(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = header.trim();
        if (s.regionMatches(true, 0, "Digest", 0, 6)) {
            s = s.substring(6);
        }
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).trim().toLowerCase(java.util.Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                int end = i + 1;
                StringBuilder v = new StringBuilder();
                while (end < s.length() && s.charAt(end) != '"') {
                    if (s.charAt(end) == '\\' && end + 1 < s.length()) {
                        end++;
                    }
                    v.append(s.charAt(end++));
                }
                value = v.toString();
                i = end + 1;
            } else {
                int end = s.indexOf(',', i);
                if (end < 0) {
                    end = s.length();
                }
                value = s.substring(i, end).trim();
                i = end;
            }
            out.put(name, value);
        }
        return out;
    }
}
