package org.switchboard.span.internal;

import java.util.Set;

import org.switchboard.hw.api.UnitSpec;

/**
 * One span of the hardware profile as the native bridge needs it. The profile parser has already
 * checked the settings and filled in the defaults of the span's type (docs/hardware-profiles.md).
 *
 * @param id         the span's id in the profile, e.g. {@code span1}
 * @param simulated  a {@code sim-span} (wired to a simulated carrier) rather than a {@code dahdi-span}
 * @param dahdiSpan  the DAHDI span number, 0 for a simulated span
 * @param t1         a T1 span (else E1)
 * @param signalling pri-cpe, pri-net, r2-china or r2-itu
 * @param switchtype euroisdn, ni2, dms100, 4ess, 5ess or qsig
 * @param alaw       A-law (else mu-law)
 * @param channels   the timeslots that carry calls
 * @param dchannel   the D-channel's timeslot (PRI)
 * @param number     the span's own number, the calling number of calls out when none is given
 * @param dnisDigits R2: how many called-number digits the carrier sends (then category and ANI)
 */
record SpanConfig(String id, boolean simulated, int dahdiSpan, boolean t1, String signalling, String switchtype,
                  boolean alaw, Set<Integer> channels, int dchannel, String number, int dnisDigits) {

    static final int PRI_NETWORK = 1;
    static final int PRI_CPE = 2;

    static SpanConfig of(UnitSpec u, boolean simulated) {
        String span = u.get("span");
        String d = u.get("dchannel");
        String dnis = u.get("dnis-digits");
        return new SpanConfig(u.id(), simulated, span.isEmpty() ? 0 : Integer.parseInt(span), "t1".equals(u.get("type")),
                u.get("signalling"), u.get("switchtype"), !"ulaw".equals(u.get("law")), u.getChannels("channels"),
                d.isEmpty() ? 16 : Integer.parseInt(d), u.get("number"), dnis.isEmpty() ? 4 : Integer.parseInt(dnis));
    }

    boolean pri() {
        return signalling.startsWith("pri");
    }

    /** The simulated carrier's side of this span: the other node type, same everything else. */
    SpanConfig carrier() {
        String other = switch (signalling) {
            case "pri-cpe" -> "pri-net";
            case "pri-net" -> "pri-cpe";
            default -> signalling;      // R2 is the same at both ends
        };
        return new SpanConfig(id + "-carrier", true, 0, t1, other, switchtype, alaw, channels, dchannel, "", dnisDigits);
    }

    int node() {
        return "pri-net".equals(signalling) ? PRI_NETWORK : PRI_CPE;
    }

    /** libpri's switch type numbers (libpri.h PRI_SWITCH_*). */
    int switchtypeCode() {
        return switch (switchtype) {
            case "ni2" -> 1;
            case "dms100" -> 2;
            case "5ess" -> 3;
            case "4ess" -> 4;
            case "qsig" -> 10;
            default -> t1 ? 6 : 5;   // euroisdn: EUROISDN_T1 / EUROISDN_E1
        };
    }

    int channelMask() {
        int m = 0;
        for (int c : channels) {
            m |= 1 << c;
        }
        return m;
    }

    int[] nativeConfig() {
        return new int[] {node(), switchtypeCode(), t1 ? 1 : 0, alaw ? 1 : 0, channelMask(), dchannel, dahdiSpan,
            r2Variant(), dnisDigits, 0};
    }

    /** openr2's variant numbers (OR2_VAR_CHINA, OR2_VAR_ITU), 0 for ISDN PRI. */
    int r2Variant() {
        return switch (signalling) {
            case "r2-china" -> 40;
            case "r2-itu" -> 100;
            default -> 0;
        };
    }

    /** "1-15,17-31" */
    String channelList() {
        StringBuilder b = new StringBuilder();
        int start = -1;
        int prev = -1;
        for (int c : new java.util.TreeSet<>(channels)) {
            if (c != prev + 1) {
                if (start > 0) {
                    b.append(b.length() > 0 ? "," : "").append(start == prev ? "" + start : start + "-" + prev);
                }
                start = c;
            }
            prev = c;
        }
        if (start > 0) {
            b.append(b.length() > 0 ? "," : "").append(start == prev ? "" + start : start + "-" + prev);
        }
        return b.toString();
    }

    /** What the span is, for the shell: "e1 pri-cpe euroisdn, 30 channels". */
    String describe() {
        return (t1 ? "t1 " : "e1 ") + signalling + (pri() ? " " + switchtype : ", " + dnisDigits + " DNIS digits") + ", "
                + channels.size() + " channels";
    }
}
