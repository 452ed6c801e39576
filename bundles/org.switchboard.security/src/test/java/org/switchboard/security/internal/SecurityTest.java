package org.switchboard.security.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.FailedLoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityTest {

    @TempDir
    Path etc;

    @TempDir
    Path data;

    @Test
    void hashesAreSaltedAndCheckedInConstantTime() {
        String a = PasswordHash.hash("correct horse battery".toCharArray());
        String b = PasswordHash.hash("correct horse battery".toCharArray());

        assertThat(a).startsWith("pbkdf2-sha256:310000:").isNotEqualTo(b);
        assertThat(PasswordHash.matches("correct horse battery".toCharArray(), a)).isTrue();
        assertThat(PasswordHash.matches("correct horse batterx".toCharArray(), a)).isFalse();
        assertThat(PasswordHash.matches("x".toCharArray(), "plain-text")).isFalse();
        assertThat(PasswordHash.weakness("bob", "short".toCharArray())).contains("at least 12");
        assertThat(PasswordHash.weakness("technician12", "TECHNICIAN12".toCharArray())).contains("not be the user name");
        assertThat(PasswordHash.generate()).hasSize(20).doesNotContain("0", "O", "1", "l");
    }

    @Test
    void firstBootGeneratesAnAdminWhosePasswordIsOnlyInAPrivateFile() throws Exception {
        ShellRealm realm = new ShellRealm(7, etc, data);

        Path initial = realm.initialPasswordFile();
        assertThat(Files.getPosixFilePermissions(initial)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(initial)) {
            p.load(r);
        }
        assertThat(p.getProperty("user")).isEqualTo("admin");
        String password = p.getProperty("password");
        Path users = etc.resolve("switchboard-users.properties");
        assertThat(Files.readString(users)).doesNotContain(password).contains("admin = admin:pbkdf2-sha256:");
        assertThat(Files.getPosixFilePermissions(users)).doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        assertThat(login(realm, "admin", password)).contains("admin", "ssh", "manager");
        assertThatThrownBy(() -> login(realm, "karaf", "karaf")).isInstanceOf(FailedLoginException.class);

        ShellRealm again = new ShellRealm(7, etc, data);
        assertThat(again.store().users()).containsOnlyKeys("admin");
        assertThat(login(again, "admin", password)).as("a restart keeps the admin").contains("admin");
        again.forgetInitialPassword();
        assertThat(initial).doesNotExist();
    }

    @Test
    void aProvisioningFileIsUsedOnceAndDeleted() throws Exception {
        Path provision = etc.resolve("switchboard-admin.provision");
        Files.writeString(provision, "user=ops\npassword=Provisioned-Secret-42\n");

        ShellRealm realm = new ShellRealm(7, etc, data);

        assertThat(provision).doesNotExist();
        assertThat(realm.initialPasswordFile()).doesNotExist();
        assertThat(realm.store().users()).containsOnlyKeys("ops");
        assertThat(login(realm, "ops", "Provisioned-Secret-42")).contains("admin");
    }

    @Test
    void aWeakProvisioningFileIsRefusedAndKept() throws Exception {
        Path provision = etc.resolve("switchboard-admin.provision");
        Files.writeString(provision, "user=ops\npassword=short\n");

        ShellRealm realm = new ShellRealm(7, etc, data);

        assertThat(provision).exists();
        assertThat(realm.store().users()).isEmpty();
    }

    @Test
    void aTechnicianHasNoAdminRole() throws Exception {
        ShellRealm realm = new ShellRealm(7, etc, data);
        realm.store().put("li.wei", Role.TECHNICIAN, "Technician-Pass-1".toCharArray());

        assertThat(login(realm, "li.wei", "Technician-Pass-1")).containsExactlyInAnyOrder("technician", "viewer", "ssh");
    }

    @Test
    void fiveFailuresLockTheNameForFiveMinutes() throws Exception {
        Instant[] now = {Instant.parse("2026-11-22T10:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 1; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThat(t.failed("admin")).isFalse();
        }
        assertThat(t.lockedUntil("admin")).isNull();
        assertThat(t.failed("admin")).isTrue();
        assertThat(t.lockedUntil("admin")).isEqualTo(now[0].plus(LoginThrottle.LOCK));
        assertThat(t.lockedUntil("other")).isNull();
        now[0] = now[0].plus(LoginThrottle.LOCK).plus(Duration.ofSeconds(1));
        assertThat(t.lockedUntil("admin")).isNull();
    }

    @Test
    void theRightPasswordIsRefusedWhileTheNameIsLocked() throws Exception {
        ShellRealm realm = new ShellRealm(7, etc, data);
        realm.store().put("ops", Role.ADMIN, "The-Right-Password".toCharArray());
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            assertThatThrownBy(() -> login(realm, "ops", "wrong-password!")).isInstanceOf(FailedLoginException.class);
        }

        assertThatThrownBy(() -> login(realm, "ops", "The-Right-Password")).isInstanceOf(FailedLoginException.class);
    }

    @Test
    void aHandEditedBrokenEntryLocksOnlyThatUserOut() throws Exception {
        ShellRealm realm = new ShellRealm(7, etc, data);
        Path users = etc.resolve("switchboard-users.properties");
        Files.writeString(users, Files.readString(users) + "mallory = admin:plaintext\n");

        assertThat(realm.store().users()).containsOnlyKeys("admin");
        assertThatThrownBy(() -> login(realm, "mallory", "plaintext")).isInstanceOf(FailedLoginException.class);
    }

    /** Runs the login module as Karaf's proxy would, and returns the role names it grants. */
    private static Set<String> login(ShellRealm realm, String user, String password) throws Exception {
        Map<String, Object> options = new HashMap<>(realm.getEntries()[0].getOptions());
        ShellLoginModule m = new ShellLoginModule();
        Subject subject = new Subject();
        m.initialize(subject, callbacks -> {
            ((NameCallback) callbacks[0]).setName(user);
            ((PasswordCallback) callbacks[1]).setPassword(password.toCharArray());
        }, new HashMap<>(), options);
        m.login();
        m.commit();
        return subject.getPrincipals().stream().filter(p -> p instanceof RolePrincipal).map(Principal::getName)
                .collect(Collectors.toSet());
    }
}
