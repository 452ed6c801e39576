package org.switchboard.router.internal;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opening hours per weekday: {@code mon-fri: 09:00-12:00, 13:30-18:00}. An interval that ends
 * before it starts runs past midnight into the next day ({@code 22:00-06:00}); {@code 00:00-24:00}
 * is the whole day. Minutes are the resolution; an interval includes its start and excludes its end.
 */
final class WeekSchedule {

    /** Minutes of the day, [from, to). */
    record Interval(int from, int to) {
        boolean contains(int minute) {
            return minute >= from && minute < to;
        }
    }

    private final String name;
    private final Map<DayOfWeek, List<Interval>> days = new EnumMap<>(DayOfWeek.class);
    private final Map<DayOfWeek, String> text = new EnumMap<>(DayOfWeek.class);

    WeekSchedule(String name) {
        this.name = name;
        for (DayOfWeek d : DayOfWeek.values()) {
            days.put(d, new ArrayList<>());
        }
    }

    String name() {
        return name;
    }

    /**
     * Adds {@code hours} to the days {@code dayKey} names.
     *
     * @throws IllegalArgumentException saying what is allowed
     */
    void add(String dayKey, String hours) {
        List<DayOfWeek> ds = days(dayKey);
        for (String part : hours.split(",")) {
            String p = part.trim();
            if (p.equalsIgnoreCase("closed") || p.isEmpty()) {
                continue;
            }
            String[] ends = p.split("-");
            if (ends.length != 2) {
                throw new IllegalArgumentException("'" + p + "' is not an interval; allowed: HH:MM-HH:MM, e.g. 09:00-18:00 "
                        + "(22:00-06:00 runs past midnight), or closed");
            }
            int from = minute(ends[0].trim());
            int to = minute(ends[1].trim());
            if (from == to) {
                throw new IllegalArgumentException("'" + p + "' is empty; use 00:00-24:00 for the whole day");
            }
            for (DayOfWeek d : ds) {
                if (from < to) {
                    days.get(d).add(new Interval(from, to));
                } else {
                    days.get(d).add(new Interval(from, 24 * 60));
                    if (to > 0) {
                        days.get(d.plus(1)).add(new Interval(0, to));
                    }
                }
                text.merge(d, p, (a, b) -> a + ", " + b);
            }
        }
    }

    /** Whether it is open at this minute of a day that follows the weekday {@code day}. */
    boolean open(DayOfWeek day, LocalTime time) {
        int m = time.getHour() * 60 + time.getMinute();
        for (Interval i : days.get(day)) {
            if (i.contains(m)) {
                return true;
            }
        }
        return false;
    }

    /** "mon 09:00-18:00; tue ..." for the shell. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (text.containsKey(d)) {
                b.append(b.length() == 0 ? "" : "; ").append(d.name().substring(0, 3).toLowerCase(Locale.ROOT)).append(' ').append(text.get(d));
            }
        }
        return b.length() == 0 ? "never open" : b.toString();
    }

    static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** "mon", "mon-fri", "sat,sun", "daily". */
    static List<DayOfWeek> days(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        if (k.equals("daily")) {
            return List.of(DayOfWeek.values());
        }
        List<DayOfWeek> out = new ArrayList<>();
        for (String part : k.split(",")) {
            String p = part.trim();
            String[] ends = p.split("-");
            int a = DAY_NAMES.indexOf(ends[0].trim());
            int b = ends.length == 2 ? DAY_NAMES.indexOf(ends[1].trim()) : a;
            if (a < 0 || b < 0 || ends.length > 2 || b < a) {
                throw new IllegalArgumentException("'" + key + "' is not a day or days; allowed: mon, tue, wed, thu, fri, sat, sun, "
                        + "ranges like mon-fri, lists like sat,sun, or daily");
            }
            for (int i = a; i <= b; i++) {
                out.add(DayOfWeek.of(i + 1));
            }
        }
        return out;
    }

    private static int minute(String hhmm) {
        if (!hhmm.matches("([01]?[0-9]|2[0-4]):[0-5][0-9]")) {
            throw new IllegalArgumentException("'" + hhmm + "' is not a time; allowed: HH:MM from 00:00 to 24:00");
        }
        String[] p = hhmm.split(":");
        int m = Integer.parseInt(p[0]) * 60 + Integer.parseInt(p[1]);
        if (m > 24 * 60) {
            throw new IllegalArgumentException("'" + hhmm + "' is after 24:00");
        }
        return m;
    }
}
