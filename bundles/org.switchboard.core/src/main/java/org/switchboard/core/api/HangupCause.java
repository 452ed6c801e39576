package org.switchboard.core.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Why a leg ended, as an ITU-T Q.850 cause value (1..127). Every driver maps its own signalling to
 * these (SIP response codes, ISDN causes, analog busy tone or loop drop), so applications and
 * records see one vocabulary. Unknown values are kept as they came, never rounded to a guess.
 *
 * @param code the Q.850 cause value
 */
public record HangupCause(int code) {

    private static final Map<Integer, String> NAMES = new TreeMap<>();

    public static final HangupCause UNALLOCATED_NUMBER = define(1, "UNALLOCATED_NUMBER");
    public static final HangupCause NO_ROUTE_DESTINATION = define(3, "NO_ROUTE_DESTINATION");
    public static final HangupCause NORMAL_CLEARING = define(16, "NORMAL_CLEARING");
    public static final HangupCause USER_BUSY = define(17, "USER_BUSY");
    public static final HangupCause NO_USER_RESPONSE = define(18, "NO_USER_RESPONSE");
    public static final HangupCause NO_ANSWER = define(19, "NO_ANSWER");
    public static final HangupCause SUBSCRIBER_ABSENT = define(20, "SUBSCRIBER_ABSENT");
    public static final HangupCause CALL_REJECTED = define(21, "CALL_REJECTED");
    public static final HangupCause NUMBER_CHANGED = define(22, "NUMBER_CHANGED");
    public static final HangupCause DESTINATION_OUT_OF_ORDER = define(27, "DESTINATION_OUT_OF_ORDER");
    public static final HangupCause INVALID_NUMBER_FORMAT = define(28, "INVALID_NUMBER_FORMAT");
    public static final HangupCause FACILITY_REJECTED = define(29, "FACILITY_REJECTED");
    public static final HangupCause NORMAL_UNSPECIFIED = define(31, "NORMAL_UNSPECIFIED");
    public static final HangupCause NORMAL_CIRCUIT_CONGESTION = define(34, "NORMAL_CIRCUIT_CONGESTION");
    public static final HangupCause NETWORK_OUT_OF_ORDER = define(38, "NETWORK_OUT_OF_ORDER");
    public static final HangupCause NORMAL_TEMPORARY_FAILURE = define(41, "NORMAL_TEMPORARY_FAILURE");
    public static final HangupCause SWITCH_CONGESTION = define(42, "SWITCH_CONGESTION");
    public static final HangupCause REQUESTED_CHAN_UNAVAIL = define(44, "REQUESTED_CHAN_UNAVAIL");
    public static final HangupCause OUTGOING_CALL_BARRED = define(52, "OUTGOING_CALL_BARRED");
    public static final HangupCause INCOMING_CALL_BARRED = define(54, "INCOMING_CALL_BARRED");
    public static final HangupCause BEARERCAPABILITY_NOTAUTH = define(57, "BEARERCAPABILITY_NOTAUTH");
    public static final HangupCause BEARERCAPABILITY_NOTAVAIL = define(58, "BEARERCAPABILITY_NOTAVAIL");
    public static final HangupCause SERVICE_UNAVAILABLE = define(63, "SERVICE_UNAVAILABLE");
    public static final HangupCause BEARERCAPABILITY_NOTIMPL = define(65, "BEARERCAPABILITY_NOTIMPL");
    public static final HangupCause FACILITY_NOT_IMPLEMENTED = define(69, "FACILITY_NOT_IMPLEMENTED");
    public static final HangupCause INVALID_CALL_REFERENCE = define(81, "INVALID_CALL_REFERENCE");
    public static final HangupCause INCOMPATIBLE_DESTINATION = define(88, "INCOMPATIBLE_DESTINATION");
    public static final HangupCause INVALID_MSG_UNSPECIFIED = define(95, "INVALID_MSG_UNSPECIFIED");
    public static final HangupCause MANDATORY_IE_MISSING = define(96, "MANDATORY_IE_MISSING");
    public static final HangupCause MESSAGE_TYPE_NONEXIST = define(97, "MESSAGE_TYPE_NONEXIST");
    public static final HangupCause WRONG_MESSAGE = define(98, "WRONG_MESSAGE");
    public static final HangupCause IE_NONEXIST = define(99, "IE_NONEXIST");
    public static final HangupCause INVALID_IE_CONTENTS = define(100, "INVALID_IE_CONTENTS");
    public static final HangupCause WRONG_CALL_STATE = define(101, "WRONG_CALL_STATE");
    public static final HangupCause RECOVERY_ON_TIMER_EXPIRE = define(102, "RECOVERY_ON_TIMER_EXPIRE");
    public static final HangupCause PROTOCOL_ERROR = define(111, "PROTOCOL_ERROR");
    public static final HangupCause INTERWORKING = define(127, "INTERWORKING");

    public HangupCause {
        if (code < 1 || code > 127) {
            throw new IllegalArgumentException("Q.850 cause must be 1..127, got " + code);
        }
    }

    private static HangupCause define(int code, String name) {
        NAMES.put(code, name);
        return new HangupCause(code);
    }

    /** The cause with this Q.850 value, named or not. */
    public static HangupCause of(int code) {
        return new HangupCause(code);
    }

    /** The cause with this name (as printed by {@link #name()}), or with this number. */
    public static HangupCause parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return of(Integer.parseInt(t));
        }
        for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
            if (e.getValue().equalsIgnoreCase(t)) {
                return of(e.getKey());
            }
        }
        throw new IllegalArgumentException("unknown hangup cause '" + text + "'; use a Q.850 number 1..127 or one of "
                + String.join(", ", NAMES.values()));
    }

    /** The Q.850 mnemonic, or "CAUSE_n" for values without one. */
    public String name() {
        return NAMES.getOrDefault(code, "CAUSE_" + code);
    }

    @Override
    public String toString() {
        return name() + "(" + code + ")";
    }
}
