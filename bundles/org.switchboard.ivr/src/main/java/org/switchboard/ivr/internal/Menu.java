package org.switchboard.ivr.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.switchboard.core.route.Destination;

/**
 * One validated menu tree (one file of {@code etc/ivr/}), immutable: a caller keeps the version
 * they started with while a changed file serves new callers.
 *
 * @param name      the file name without .yaml; routes and other menus call it {@code ivr:NAME}
 * @param language  the language callers start in
 * @param languages the languages every prompt exists in
 */
record Menu(String name, Path file, Instant loaded, String language, List<String> languages, String start, Map<String, Node> nodes) {

    /** What a key, a failure or the end of a prompt leads to. */
    record Action(Kind kind, String value, Destination destination) {
        enum Kind { NODE, DESTINATION, REPEAT, BACK, LANGUAGE, HANGUP }

        @Override
        public String toString() {
            return switch (kind) {
                case NODE -> "node:" + value;
                case DESTINATION -> destination.toString();
                case REPEAT -> "repeat";
                case BACK -> "back";
                case LANGUAGE -> "language:" + value;
                case HANGUP -> "hangup";
            };
        }
    }

    /**
     * A menu node: its prompts, then either keys to collect (options, direct dial) or {@code then}.
     *
     * @param directDial digits of an extension callers may dial directly (0 = off)
     * @param then       where a node without options goes when its prompts end
     */
    record Node(String name, int line, List<String> prompts, int timeoutMs, int interDigitMs, int retries, String invalidPrompt,
                String noInputPrompt, Action failed, boolean bargeIn, int directDial, Map<Character, Action> options, Action then,
                Collect collect, Map<String, Action> results) {

        boolean collects() {
            return !options.isEmpty() || directDial > 0 || collect != null;
        }
    }

    /**
     * Self-service: collect {@code min}..{@code max} digits (ended early by the terminator), hand
     * them to the IVR action {@code action}, say its result, go on by its outcome.
     */
    record Collect(int min, int max, String terminator, String action) {
    }
}
