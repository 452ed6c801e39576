package org.switchboard.line.serial.internal;

import java.util.ArrayList;
import java.util.List;

import org.switchboard.core.api.CallerId;

/** Caller ID as voice modems (V.253 AT+VCID=1) and GSM modules (27.007 +CLIP) report it. */
public final class CallerIds {

    private CallerIds() {
    }

    /**
     * Collects the V.253 caller ID lines of one call: DATE, TIME, NMBR, NAME. "P" stands for a
     * withheld ("private") value, "O" for one the network could not deliver ("out of area").
     */
    public static final class Collector {
        private String number = "";
        private String name = "";
        private CallerId.Presentation presentation;

        /** @return true when the line was a caller ID line */
        public boolean accept(String line) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            switch (key) {
                case "NMBR" -> {
                    if (value.equals("P")) {
                        presentation = CallerId.Presentation.RESTRICTED;
                        number = "";
                    } else if (value.equals("O") || value.isEmpty()) {
                        presentation = CallerId.Presentation.UNAVAILABLE;
                        number = "";
                    } else {
                        presentation = CallerId.Presentation.ALLOWED;
                        number = digits(value);
                    }
                }
                case "NAME" -> name = value.equals("P") || value.equals("O") ? "" : value;
                case "DATE", "TIME", "DDN_NMBR", "MESG" -> {
                    // the exchange's clock and the called number are not used
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** Whether the number (or its absence) has been reported. */
        public boolean complete() {
            return presentation != null;
        }

        public CallerId callerId() {
            return presentation == null ? CallerId.UNKNOWN : new CallerId(number, name, presentation);
        }

        public void clear() {
            number = "";
            name = "";
            presentation = null;
        }
    }

    /**
     * {@code +CLIP: "13800138000",129,"",,"Zhang",0}: number, type, subaddress, satype, alpha, CLI
     * validity (0 shown, 1 withheld by the caller, 2 not available).
     */
    public static CallerId clip(String line) {
        String body = line.substring(line.indexOf(':') + 1).trim();
        List<String> f = fields(body);
        String number = f.isEmpty() ? "" : digits(f.get(0));
        String name = f.size() > 4 ? f.get(4) : "";
        int validity = 0;
        if (f.size() > 5) {
            try {
                validity = Integer.parseInt(f.get(5).trim());
            } catch (NumberFormatException e) {
                validity = 0;
            }
        }
        if (validity == 1) {
            return new CallerId("", name, CallerId.Presentation.RESTRICTED);
        }
        if (validity == 2 || number.isEmpty()) {
            return new CallerId("", name, CallerId.Presentation.UNAVAILABLE);
        }
        return new CallerId(number, name, CallerId.Presentation.ALLOWED);
    }

    /** Comma-separated fields, quotes removed, commas inside quotes kept. */
    public static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    /** Keeps a leading + and the digits; drops spaces and dashes the exchange may put in. */
    static String digits(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9' || c == '+' && b.length() == 0) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
