package org.switchboard.security.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell's users: a properties file, mode 600, one line per user
 * {@code name = role:pbkdf2-sha256:iterations:salt:hash}. Written atomically; read again when the
 * file changes, so a restored file takes effect without a restart.
 */
public final class UserStore {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");

    /** One user as stored. */
    public record User(String name, Role role, String hash) {
    }

    private final Path file;
    private Map<String, User> users = Map.of();
    private long loadedStamp = -1;

    public UserStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public synchronized Map<String, User> users() {
        reloadIfChanged();
        return users;
    }

    public Optional<User> user(String name) {
        return Optional.ofNullable(users().get(name));
    }

    public boolean hasAdmin() {
        return users().values().stream().anyMatch(u -> u.role() == Role.ADMIN);
    }

    private void reloadIfChanged() {
        long stamp;
        try {
            stamp = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() ^ Files.size(file) : 0;
        } catch (IOException e) {
            stamp = 0;
        }
        if (stamp == loadedStamp) {
            return;
        }
        Map<String, User> loaded = new TreeMap<>();
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                LOG.error("Cannot read the users file {}: {}; nobody can log in until it is fixed", file, e.getMessage());
            }
            for (String name : p.stringPropertyNames()) {
                String v = p.getProperty(name).trim();
                int colon = v.indexOf(':');
                try {
                    if (colon < 0 || !NAME.matcher(name).matches() || !PasswordHash.looksLikeHash(v.substring(colon + 1))) {
                        throw new IllegalArgumentException("malformed");
                    }
                    loaded.put(name, new User(name, Role.parse(v.substring(0, colon)), v.substring(colon + 1)));
                } catch (IllegalArgumentException e) {
                    LOG.error("{}: the entry for '{}' is not 'role:pbkdf2-sha256:...'; that user cannot log in", file, name);
                }
            }
        }
        users = Collections.unmodifiableMap(loaded);
        loadedStamp = stamp;
    }

    /** Adds or replaces a user. */
    public synchronized void put(String name, Role role, char[] password) throws IOException {
        reloadIfChanged();
        Map<String, User> next = new TreeMap<>(users);
        next.put(name, new User(name, role, PasswordHash.hash(password)));
        write(next);
    }

    public synchronized void remove(String name) throws IOException {
        reloadIfChanged();
        Map<String, User> next = new TreeMap<>(users);
        next.remove(name);
        write(next);
    }

    private void write(Map<String, User> next) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".users", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("# Switchboard shell users: name = role:password-hash. Manage with auth:add, auth:passwd, auth:remove.\n");
            w.write("# Written " + Instant.now() + ". Hashes are salted PBKDF2; this file is readable by the appliance only.\n");
            for (User u : next.values()) {
                w.write(u.name() + " = " + u.role().label() + ":" + u.hash() + "\n");
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        users = Collections.unmodifiableMap(next);
        loadedStamp = Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
    }
}
