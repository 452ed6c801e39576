package org.switchboard.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "karaf" JAAS realm, replacing Karaf's own (rank above 0): SSH, bin/client and jaas:su log
 * in against the Switchboard users file only, so the default karaf/karaf can never work.
 * <p>
 * First boot: with no admin in the users file, the admin comes from a provisioning file
 * ({@code etc/switchboard-admin.provision}: {@code user=} and {@code password=}, read once, then
 * deleted), or is generated: user {@code admin} with a random password written once to
 * {@code data/switchboard/initial-admin-password} (mode 600), never to a log.
 */
@Component(service = {JaasRealm.class, ShellRealm.class}, immediate = true)
public final class ShellRealm implements JaasRealm {

    static final String REALM = "karaf";
    static final int RANK = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ShellRealm.class);

    private final UserStore store;
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());
    private final AppConfigurationEntry[] entries;
    private final Path initialPasswordFile;

    @Activate
    public ShellRealm(BundleContext context) {
        this(context.getBundle().getBundleId(), etc(), data());
    }

    ShellRealm(long bundleId, Path etc, Path data) {
        this.store = new UserStore(etc.resolve("switchboard-users.properties"));
        this.initialPasswordFile = data.resolve("switchboard").resolve("initial-admin-password");
        Map<String, Object> options = new HashMap<>();
        options.put(ProxyLoginModule.PROPERTY_MODULE, ShellLoginModule.class.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(bundleId));
        options.put(ShellLoginModule.OPTION_STORE, store);
        options.put(ShellLoginModule.OPTION_THROTTLE, throttle);
        entries = new AppConfigurationEntry[] {new AppConfigurationEntry(ProxyLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
        bootstrapAdmin(etc.resolve("switchboard-admin.provision"));
    }

    private static Path etc() {
        return Path.of(System.getProperty("karaf.etc", "etc"));
    }

    private static Path data() {
        return Path.of(System.getProperty("karaf.data", "data"));
    }

    public UserStore store() {
        return store;
    }

    public Path initialPasswordFile() {
        return initialPasswordFile;
    }

    @Override
    public String getName() {
        return REALM;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        return entries;
    }

    private void bootstrapAdmin(Path provision) {
        try {
            if (Files.exists(provision)) {
                provisionFrom(provision);
                return;
            }
            if (store.hasAdmin()) {
                return;
            }
            String password = PasswordHash.generate();
            store.put("admin", Role.ADMIN, password.toCharArray());
            Files.createDirectories(initialPasswordFile.getParent());
            Files.deleteIfExists(initialPasswordFile);
            Files.createFile(initialPasswordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(initialPasswordFile, "user=admin\npassword=" + password + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING);
            LOG.warn("First boot: created shell user 'admin' with a generated password, written once to {} (readable by "
                    + "this account only). Log in and change it with auth:passwd admin; the file is deleted then.",
                    initialPasswordFile.toAbsolutePath());
        } catch (IOException e) {
            LOG.error("Could not create the first admin in {}: {}; nobody can log in to the shell until this is fixed",
                    store.file(), e.getMessage());
        }
    }

    private void provisionFrom(Path provision) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(provision, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String user = p.getProperty("user", "").trim();
        String password = p.getProperty("password", "");
        String problem = !UserStore.NAME.matcher(user).matches() ? "user '" + user + "' is not a valid name (a-z, 0-9, . _ -, 2-32)"
                : PasswordHash.weakness(user, password.toCharArray());
        if (problem != null) {
            LOG.error("{}: {}; the file is left in place, fix it and restart the security bundle", provision, problem);
            return;
        }
        store.put(user, Role.ADMIN, password.toCharArray());
        // overwrite before deleting, so the clear-text password does not linger on disk
        Files.writeString(provision, "#".repeat(Math.max(64, (int) Files.size(provision))), StandardOpenOption.TRUNCATE_EXISTING);
        Files.delete(provision);
        LOG.warn("Provisioned shell user '{}' (admin) from {}; the file has been deleted", user, provision);
    }

    /** The first admin changed its password: the generated one is no longer needed on disk. */
    public void forgetInitialPassword() {
        try {
            if (Files.deleteIfExists(initialPasswordFile)) {
                LOG.info("Deleted {}: the generated admin password is no longer valid", initialPasswordFile);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", initialPasswordFile, e.getMessage());
        }
    }
}
