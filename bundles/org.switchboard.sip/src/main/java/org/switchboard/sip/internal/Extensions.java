package org.switchboard.sip.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The agents' extensions, in Derby (table SIP_EXTENSION) and in memory for the registrar's hot
 * path. Passwords are turned into digest HA1 values for the realm at once and never kept.
 */
final class Extensions {

    static final Pattern NUMBER = Pattern.compile("[0-9]{2,12}");

    /** One extension as the registrar needs it. */
    record Extension(String number, String displayName, String ha1Md5, String ha1Sha256, String realm, Networks allowed,
                     boolean dialOut) {

        String ha1(Digest.Algorithm a) {
            return a == Digest.Algorithm.MD5 ? ha1Md5 : ha1Sha256;
        }
    }

    private final DataSource dataSource;
    private final Map<String, Extension> cache = new ConcurrentHashMap<>();

    Extensions(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        reload();
    }

    void reload() throws SQLException {
        Map<String, Extension> fresh = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT NUMBER, DISPLAY_NAME, HA1_MD5, HA1_SHA256, REALM, ALLOWED_NETS, "
                     + "DIAL_OUT FROM SIP_EXTENSION");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Networks nets;
                try {
                    nets = Networks.parse(rs.getString(6));
                } catch (IllegalArgumentException e) {
                    nets = new Networks(java.util.List.of(new Networks.Network(new byte[4], 32)));
                }
                fresh.put(rs.getString(1), new Extension(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), nets, rs.getBoolean(7)));
            }
        }
        cache.keySet().retainAll(fresh.keySet());
        cache.putAll(fresh);
    }

    Optional<Extension> get(String number) {
        return Optional.ofNullable(cache.get(number));
    }

    Collection<Extension> all() {
        return new TreeMap<>(cache).values();
    }

    /** Adds an extension; the password is hashed for the realm here and forgotten. */
    void add(String number, String displayName, char[] password, String realm, Networks allowed, boolean dialOut)
            throws SQLException {
        String pw = new String(password);
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO SIP_EXTENSION (NUMBER, DISPLAY_NAME, HA1_MD5, HA1_SHA256, "
                     + "REALM, ALLOWED_NETS, DIAL_OUT, CREATED_AT, CHANGED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, number);
            ps.setString(2, displayName);
            ps.setString(3, Digest.ha1(Digest.Algorithm.MD5, number, realm, pw));
            ps.setString(4, Digest.ha1(Digest.Algorithm.SHA_256, number, realm, pw));
            ps.setString(5, realm);
            ps.setString(6, allowed.networks().isEmpty() ? "" : allowed.toString());
            ps.setBoolean(7, dialOut);
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(now));
            ps.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        reload();
    }

    boolean setPassword(String number, char[] password, String realm) throws SQLException {
        String pw = new String(password);
        int n;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE SIP_EXTENSION SET HA1_MD5 = ?, HA1_SHA256 = ?, REALM = ?, CHANGED_AT = ? "
                     + "WHERE NUMBER = ?")) {
            ps.setString(1, Digest.ha1(Digest.Algorithm.MD5, number, realm, pw));
            ps.setString(2, Digest.ha1(Digest.Algorithm.SHA_256, number, realm, pw));
            ps.setString(3, realm);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.setString(5, number);
            n = ps.executeUpdate();
        }
        reload();
        return n == 1;
    }

    boolean remove(String number) throws SQLException {
        int n;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM SIP_EXTENSION WHERE NUMBER = ?")) {
            ps.setString(1, number);
            n = ps.executeUpdate();
        }
        reload();
        return n == 1;
    }
}
