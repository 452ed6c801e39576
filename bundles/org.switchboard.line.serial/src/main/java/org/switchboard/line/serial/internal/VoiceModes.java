package org.switchboard.line.serial.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.switchboard.line.serial.internal.audio.VoiceFormat;

/**
 * Reads a V.253 modem's answer to {@code AT+VSM=?} and picks the sample format to use. Modems
 * name their methods freely ("G.711U", "8-BIT ULAW", "UNSIGNED PCM", "16-BIT LINEAR"), so the
 * names are matched loosely; a method must offer 8000 samples per second.
 */
public final class VoiceModes {

    /**
     * One compression method a modem offers.
     *
     * @param id     the number to give AT+VSM
     * @param name   as the modem names it
     * @param format what it is, or null when the box cannot use it
     */
    public record Method(int id, String name, int bits, VoiceFormat format) {
    }

    private static final Pattern LINE = Pattern.compile("\\s*(\\d+)\\s*,\\s*\"([^\"]*)\"\\s*,\\s*(\\d+)\\s*(?:,(.*))?");

    private VoiceModes() {
    }

    /** The methods in {@code AT+VSM=?} information lines; lines that do not parse are skipped. */
    public static List<Method> parse(List<String> lines) {
        List<Method> out = new ArrayList<>();
        for (String l : lines) {
            String line = l.startsWith("+VSM:") ? l.substring(5) : l;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            int id = Integer.parseInt(m.group(1));
            String name = m.group(2);
            int bits = Integer.parseInt(m.group(3));
            String rest = m.group(4) == null ? "" : m.group(4);
            VoiceFormat f = classify(name, bits);
            if (f != null && !rest.isBlank() && !offers8000(rest)) {
                f = null;
            }
            out.add(new Method(id, name, bits, f));
        }
        return out;
    }

    static VoiceFormat classify(String name, int bits) {
        String n = name.toUpperCase(Locale.ROOT).replace(" ", "").replace("-", "").replace(".", "");
        if (bits == 8 && (n.contains("ULAW") || n.contains("MULAW") || n.contains("G711U") || n.contains("PCMU"))) {
            return VoiceFormat.ULAW;
        }
        if (bits == 8 && (n.contains("ALAW") || n.contains("G711A") || n.contains("PCMA"))) {
            return VoiceFormat.ALAW;
        }
        if (bits == 16 && (n.contains("LINEAR") || n.contains("PCM")) && !n.contains("UNSIGNED")) {
            return VoiceFormat.LINEAR16;
        }
        if (bits == 8 && (n.contains("UNSIGNED") || n.equals("8BITLINEAR") || n.equals("LINEAR"))) {
            return VoiceFormat.LINEAR8;
        }
        return null;
    }

    /**
     * After the bits per sample come the timing marker and the sample rates: "0,(8000),(0),(0)",
     * "0,(7200,8000,11025),...", "0,(4800-9600)" or a bare "0,8000".
     */
    private static boolean offers8000(String rest) {
        String rates;
        int open = rest.indexOf('(');
        if (open >= 0) {
            int close = rest.indexOf(')', open);
            rates = close < 0 ? rest.substring(open + 1) : rest.substring(open + 1, close);
        } else {
            String[] f = rest.split(",");
            rates = f.length > 1 ? f[1] : f[0];
        }
        for (String r : rates.split(",")) {
            String t = r.trim();
            try {
                if (t.contains("-")) {
                    String[] ends = t.split("-");
                    if (Integer.parseInt(ends[0].trim()) <= 8000 && Integer.parseInt(ends[1].trim()) >= 8000) {
                        return true;
                    }
                } else if (!t.isEmpty() && Integer.parseInt(t) == 8000) {
                    return true;
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // not a rate we understand
            }
        }
        return false;
    }

    /**
     * The method to use: 16-bit linear when the port is fast enough to carry it both ways (it needs
     * 128 kbit/s plus shielding), else the G.711 law of the country, the other law, 8-bit linear.
     *
     * @return null when nothing offered is usable
     */
    public static Method choose(List<Method> methods, int baud, boolean ulawCountry) {
        List<VoiceFormat> order = new ArrayList<>();
        if (baud >= 230400) {
            order.add(VoiceFormat.LINEAR16);
        }
        order.add(ulawCountry ? VoiceFormat.ULAW : VoiceFormat.ALAW);
        order.add(ulawCountry ? VoiceFormat.ALAW : VoiceFormat.ULAW);
        order.add(VoiceFormat.LINEAR8);
        for (VoiceFormat f : order) {
            for (Method m : methods) {
                if (m.format() == f) {
                    return m;
                }
            }
        }
        return null;
    }
}
