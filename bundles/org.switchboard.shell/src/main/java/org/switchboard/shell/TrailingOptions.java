package org.switchboard.shell;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.CommandException;

/**
 * Karaf reads options only before the first argument; technicians type them after it too
 * ({@code line:simulate-call lab-1 --from 138...}). A command collects what follows its
 * arguments in a multi-valued last argument and hands it here: each {@code --name value} (or
 * {@code --name=value}, or a bare boolean {@code --flag}) is set on the command's own
 * {@link Option} field, exactly as if it had come first.
 */
public final class TrailingOptions {

    private TrailingOptions() {
    }

    /**
     * @param action the command object whose {@code @Option} fields receive the values
     * @param rest   what followed the arguments; null or empty is fine
     * @throws CommandException naming an unknown option, a missing value or a stray word
     */
    public static void apply(Object action, List<?> rest) throws CommandException {
        if (rest == null) {
            return;
        }
        for (int i = 0; i < rest.size(); i++) {
            String word = String.valueOf(rest.get(i));
            if (!word.startsWith("-")) {
                throw new CommandException("unexpected '" + word + "'; options are " + names(action));
            }
            String name = word;
            String value = null;
            int eq = word.indexOf('=');
            if (eq > 0) {
                name = word.substring(0, eq);
                value = word.substring(eq + 1);
            }
            Field field = field(action, name);
            if (field == null) {
                throw new CommandException("unknown option " + name + "; options are " + names(action));
            }
            try {
                field.setAccessible(true);
                if (field.getType() == boolean.class || field.getType() == Boolean.class) {
                    field.set(action, value == null || Boolean.parseBoolean(value));
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= rest.size()) {
                        throw new CommandException("option " + name + " needs a value");
                    }
                    value = String.valueOf(rest.get(++i));
                }
                if (field.getType() == int.class || field.getType() == Integer.class) {
                    try {
                        field.set(action, Integer.parseInt(value));
                    } catch (NumberFormatException e) {
                        throw new CommandException("option " + name + " needs a whole number, not '" + value + "'");
                    }
                } else {
                    field.set(action, value);
                }
            } catch (IllegalAccessException e) {
                throw new CommandException("option " + name + " cannot be set: " + e.getMessage());
            }
        }
    }

    private static Field field(Object action, String name) {
        for (Class<?> c = action.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null && (o.name().equals(name) || Arrays.asList(o.aliases()).contains(name))) {
                    return f;
                }
            }
        }
        return null;
    }

    private static String names(Object action) {
        List<String> names = new ArrayList<>();
        for (Class<?> c = action.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Option o = f.getAnnotation(Option.class);
                if (o != null) {
                    names.add(o.name());
                }
            }
        }
        return String.join(", ", names);
    }
}
