package org.switchboard.security.internal;

import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a shell login against the {@link UserStore} and gives the user the Karaf roles of its
 * {@link Role}. Instantiated by Karaf's ProxyLoginModule for every login; the store and the
 * throttle come in through the realm's options.
 */
public final class ShellLoginModule implements LoginModule {

    static final String OPTION_STORE = "switchboard.users";
    static final String OPTION_THROTTLE = "switchboard.throttle";
    private static final Logger LOG = LoggerFactory.getLogger(ShellLoginModule.class);

    private Subject subject;
    private CallbackHandler handler;
    private UserStore store;
    private LoginThrottle throttle;
    private UserStore.User user;
    private final List<Principal> principals = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
        this.store = (UserStore) options.get(OPTION_STORE);
        this.throttle = (LoginThrottle) options.get(OPTION_THROTTLE);
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("Username: ");
        PasswordCallback password = new PasswordCallback("Password: ", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (IOException | UnsupportedCallbackException e) {
            throw new LoginException("cannot ask for the credentials: " + e.getMessage());
        }
        String who = name.getName() == null ? "" : name.getName();
        char[] pw = password.getPassword() == null ? new char[0] : password.getPassword();
        try {
            if (throttle.lockedUntil(who) != null) {
                LOG.warn("Login refused for '{}': locked after {} failed attempts, until {}", who,
                        LoginThrottle.MAX_FAILURES, throttle.lockedUntil(who));
                throw new FailedLoginException("login refused");
            }
            UserStore.User u = store.user(who).orElse(null);
            boolean ok;
            if (u != null) {
                ok = PasswordHash.matches(pw, u.hash());
            } else {
                // hash anyway, so the time taken does not tell which names exist
                PasswordHash.matches(pw, DUMMY);
                ok = false;
            }
            if (!ok) {
                if (throttle.failed(who)) {
                    LOG.warn("User name '{}' locked for {} min after {} failed logins", who, LoginThrottle.LOCK.toMinutes(),
                            LoginThrottle.MAX_FAILURES);
                }
                LOG.info("Failed login for '{}'", who);
                throw new FailedLoginException("login refused");
            }
            throttle.succeeded(who);
            user = u;
            return true;
        } finally {
            Arrays.fill(pw, '\0');
            password.clearPassword();
        }
    }

    private static final String DUMMY = PasswordHash.hash("not-a-real-password".toCharArray());

    @Override
    public boolean commit() {
        if (user == null) {
            return false;
        }
        principals.add(new UserPrincipal(user.name()));
        for (String role : user.role().karafRoles()) {
            principals.add(new RolePrincipal(role));
        }
        subject.getPrincipals().addAll(principals);
        return true;
    }

    @Override
    public boolean abort() {
        user = null;
        principals.clear();
        return true;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeAll(principals);
        principals.clear();
        user = null;
        return true;
    }
}
