package org.switchboard.sip.internal;

import org.switchboard.core.api.HangupCause;

/**
 * SIP responses and Q.850 causes, both ways (RFC 3398 section 7.2.4.1 and 8.2.6.1), so a call from
 * the SIP trunk that ends on an E1 ends with the right cause there, and the other way round.
 */
final class Causes {

    private Causes() {
    }

    /** The cause a final SIP response means. */
    static HangupCause fromSip(int status) {
        return HangupCause.of(switch (status) {
            case 400, 481, 500, 503 -> 41;
            case 401, 402, 403, 407, 603 -> 21;
            case 404, 485, 604 -> 1;
            case 405 -> 63;
            case 406, 415, 501 -> 79;
            case 408, 504 -> 102;
            case 410 -> 22;
            case 480 -> 18;
            case 482, 483 -> 25;
            case 484 -> 28;
            case 486, 600 -> 17;
            case 487 -> 16;
            case 488, 606 -> 65;
            case 502 -> 38;
            default -> status >= 600 ? 31 : status >= 500 ? 41 : 127;
        });
    }

    /** The final SIP response to send for a cause (a call the box refuses or that fails on the other side). */
    static int toSip(HangupCause cause) {
        return switch (cause.code()) {
            case 1, 2, 3, 26 -> 404;
            case 17 -> 486;
            case 18 -> 408;
            case 19, 20, 31 -> 480;
            case 21, 50, 52, 53, 54, 55, 57, 87 -> 403;
            case 22 -> 410;
            case 27 -> 502;
            case 28 -> 484;
            case 29, 69, 79 -> 501;
            case 34, 38, 41, 42, 44, 47, 58, 88 -> 503;
            case 65, 70 -> 488;
            case 102 -> 504;
            case 16 -> 487;
            default -> 500;
        };
    }

    /**
     * The cause a BYE or CANCEL carries in its Reason header ({@code Q.850;cause=17;text="..."},
     * RFC 3326), or the fallback when there is none that can be read.
     */
    static HangupCause fromReason(java.util.List<String> reasons, HangupCause fallback) {
        for (String r : reasons) {
            String v = r.trim();
            if (!v.regionMatches(true, 0, "Q.850", 0, 5)) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i);\\s*cause\\s*=\\s*(\\d{1,3})").matcher(v);
            if (m.find()) {
                int code = Integer.parseInt(m.group(1));
                if (code >= 1 && code <= 127) {
                    return HangupCause.of(code);
                }
            }
        }
        return fallback;
    }
}
