package org.switchboard.ivr.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.ivr.api.IvrAction;

/**
 * Turns numbers, digits and dates into the built-in prompts that say them, in Mandarin (zh) and
 * English (en): {@code digit-0..9}, and the number words {@code num-*} and {@code month-*}.
 */
final class Speech {

    static final long MAX = 99_999_999L;

    private Speech() {
    }

    static List<String> say(IvrAction.Say s, String lang) {
        if (s instanceof IvrAction.Prompt p) {
            return List.of(p.name());
        }
        if (s instanceof IvrAction.Digits d) {
            return digits(d.digits());
        }
        if (s instanceof IvrAction.Number n) {
            return number(n.value(), lang);
        }
        return date(((IvrAction.Date) s).date(), lang);
    }

    static List<String> digits(String digits) {
        List<String> out = new ArrayList<>();
        for (char c : digits.toCharArray()) {
            if (c >= '0' && c <= '9') {
                out.add("digit-" + c);
            }
        }
        return out;
    }

    static List<String> number(long n, String lang) {
        if (n < 0 || n > MAX) {
            throw new IllegalArgumentException(n + " cannot be said; allowed: 0 to " + MAX);
        }
        return "zh".equals(lang) ? zh(n) : en(n);
    }

    // ---------------------------------------------------------------- Mandarin

    private static List<String> zh(long n) {
        List<String> out = new ArrayList<>();
        if (n == 0) {
            out.add("digit-0");
            return out;
        }
        long wan = n / 10_000;
        long rest = n % 10_000;
        if (wan > 0) {
            zhGroup((int) wan, out, true);
            out.add("num-wan");
            if (rest > 0 && rest < 1000) {
                out.add("digit-0");
            }
        }
        if (rest > 0) {
            zhGroup((int) rest, out, wan == 0);
        }
        return out;
    }

    /** 1..9999; {@code leading}: 10-19 said as 十X (not 一十X) when nothing comes before. */
    private static void zhGroup(int n, List<String> out, boolean leading) {
        int[] d = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
        String[] unit = {"num-qian", "num-bai", "num-shi", null};
        boolean started = false;
        boolean zero = false;
        for (int i = 0; i < 4; i++) {
            if (d[i] == 0) {
                zero = started;
                continue;
            }
            if (zero) {
                out.add("digit-0");
                zero = false;
            }
            if (!(i == 2 && d[i] == 1 && !started && leading)) {
                out.add("digit-" + d[i]);
            }
            if (unit[i] != null) {
                out.add(unit[i]);
            }
            started = true;
        }
    }

    // ---------------------------------------------------------------- English

    private static List<String> en(long n) {
        List<String> out = new ArrayList<>();
        if (n == 0) {
            out.add("digit-0");
            return out;
        }
        long millions = n / 1_000_000;
        long thousands = n / 1000 % 1000;
        long rest = n % 1000;
        if (millions > 0) {
            enGroup((int) millions, out);
            out.add("num-million");
        }
        if (thousands > 0) {
            enGroup((int) thousands, out);
            out.add("num-thousand");
        }
        if (rest > 0) {
            enGroup((int) rest, out);
        }
        return out;
    }

    private static void enGroup(int n, List<String> out) {
        int hundreds = n / 100;
        int rest = n % 100;
        if (hundreds > 0) {
            out.add("digit-" + hundreds);
            out.add("num-hundred");
        }
        if (rest >= 20) {
            out.add("num-" + rest / 10 * 10);
            if (rest % 10 > 0) {
                out.add("digit-" + rest % 10);
            }
        } else if (rest >= 10) {
            out.add("num-" + rest);
        } else if (rest > 0) {
            out.add("digit-" + rest);
        }
    }

    // ---------------------------------------------------------------- dates

    static List<String> date(LocalDate d, String lang) {
        List<String> out = new ArrayList<>();
        if ("zh".equals(lang)) {
            out.addAll(digits(Integer.toString(d.getYear())));
            out.add("num-nian");
            out.addAll(zh(d.getMonthValue()));
            out.add("num-yue");
            out.addAll(zh(d.getDayOfMonth()));
            out.add("num-ri");
        } else {
            out.add("month-" + d.getMonthValue());
            out.addAll(en(d.getDayOfMonth()));
            out.addAll(en(d.getYear()));
        }
        return out;
    }
}
