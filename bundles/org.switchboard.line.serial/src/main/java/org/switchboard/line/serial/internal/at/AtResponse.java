package org.switchboard.line.serial.internal.at;

import java.util.List;

/**
 * What a device answered to one command.
 *
 * @param command the command as sent, e.g. {@code AT+CSQ}
 * @param lines   the information lines before the result, without echo and blank lines
 * @param result  the final result code: OK, ERROR, +CME ERROR: 10, CONNECT, VCON, NO CARRIER, BUSY, ...
 */
public record AtResponse(String command, List<String> lines, String result) {

    public AtResponse {
        lines = List.copyOf(lines);
    }

    /** The command worked (OK, CONNECT or VCON). */
    public boolean ok() {
        return result.equals("OK") || result.startsWith("CONNECT") || result.equals("VCON") || result.equals(">");
    }

    /** The first information line that starts with {@code prefix} (e.g. "+CSQ:"), value after it trimmed; null if none. */
    public String value(String prefix) {
        for (String l : lines) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** For messages: "AT+CSQ -> ERROR". */
    public String describe() {
        return command + " -> " + (lines.isEmpty() ? "" : String.join(" | ", lines) + " | ") + result;
    }
}
