package org.switchboard.security.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes, stored as {@code pbkdf2-sha256:ITERATIONS:SALT:HASH}
 * (salt and hash in base64). The JDK's own implementation: no extra library to trust.
 */
final class PasswordHash {

    static final int ITERATIONS = 310_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private PasswordHash() {
    }

    static String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + ":" + ITERATIONS + ":" + b64(salt) + ":" + b64(derive(password, salt, ITERATIONS));
    }

    /** Constant-time check; false for anything malformed. */
    static boolean matches(char[] password, String stored) {
        String[] p = stored.split(":");
        if (p.length != 4 || !p[0].equals(PREFIX)) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(p[1]);
            byte[] salt = Base64.getDecoder().decode(p[2]);
            byte[] expected = Base64.getDecoder().decode(p[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean looksLikeHash(String s) {
        return s.startsWith(PREFIX + ":") && s.split(":").length == 4;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }

    /** A password for a human to copy once: 20 characters without look-alikes, about 117 bits. */
    static String generate() {
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** What a chosen password must be; null when fine. */
    static String weakness(String user, char[] password) {
        if (password.length < 12) {
            return "the password must have at least 12 characters";
        }
        if (new String(password).equalsIgnoreCase(user)) {
            return "the password must not be the user name";
        }
        return null;
    }
}
