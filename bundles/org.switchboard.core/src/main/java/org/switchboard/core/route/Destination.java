package org.switchboard.core.route;

import java.util.List;
import java.util.Objects;

/**
 * Where a call goes, as routes and menus write it: {@code ivr:main}, {@code queue:sales},
 * {@code extension:1001}, {@code voicemail:100}, {@code callback:sales}, {@code message:after-hours},
 * {@code external:lab-gsm-1:13800138000}, {@code reject} or {@code reject:USER_BUSY}; a bare
 * {@code extension} is the extension a SIP trunk's DID map names.
 *
 * @param type   ivr, queue, extension, voicemail, callback, message, external or reject
 * @param target what follows the first colon ("" for a bare reject)
 */
public record Destination(String type, String target) {

    /** The types, in the order the documentation lists them. */
    public static final List<String> TYPES = List.of("ivr", "queue", "extension", "voicemail", "callback", "message", "external", "reject");

    public Destination {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }

    /**
     * Parses a destination.
     *
     * @throws IllegalArgumentException saying what is wrong and what is allowed
     */
    public static Destination parse(String text) {
        String s = text == null ? "" : text.trim();
        int colon = s.indexOf(':');
        String type = colon < 0 ? s : s.substring(0, colon);
        String target = colon < 0 ? "" : s.substring(colon + 1).trim();
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("'" + s + "' is not a destination; allowed: ivr:MENU, queue:NAME, extension:NUMBER "
                    + "(or a bare extension: as the trunk's DID map says), voicemail:BOX, callback:QUEUE, message:PROMPT, external:LINE:NUMBER, reject or reject:CAUSE");
        }
        switch (type) {
            case "reject" -> {
                // the cause is checked by whoever rejects (HangupCause.parse)
            }
            case "external" -> {
                int c = target.indexOf(':');
                if (c <= 0 || !target.substring(c + 1).matches("\\+?[0-9*#]{1,32}")) {
                    throw new IllegalArgumentException("'" + s + "': allowed: external:LINE:NUMBER, e.g. external:lab-gsm-1:13800138000");
                }
            }
            case "extension" -> {
                if (!target.isEmpty() && !target.matches("[0-9]{2,8}")) {
                    throw new IllegalArgumentException("'" + s + "': allowed: extension:NUMBER with 2-8 digits, or extension alone");
                }
            }
            default -> {
                if (!target.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                    throw new IllegalArgumentException("'" + s + "': allowed: " + type + ":NAME (letters, digits, - _ .)");
                }
            }
        }
        return new Destination(type, target);
    }

    @Override
    public String toString() {
        return target.isEmpty() ? type : type + ":" + target;
    }
}
