package org.switchboard.security.internal;

/** The rules for names and passwords, for the shell commands. */
public final class Credentials {

    private Credentials() {
    }

    /** What is wrong with a user name, or null. */
    public static String badName(String user) {
        return UserStore.NAME.matcher(user).matches() ? null
                : "'" + user + "' is not a valid user name; allowed: 2-32 of a-z 0-9 . _ -, starting with a letter";
    }

    public static String weakness(String user, char[] password) {
        return PasswordHash.weakness(user, password);
    }

    public static String generate() {
        return PasswordHash.generate();
    }
}
