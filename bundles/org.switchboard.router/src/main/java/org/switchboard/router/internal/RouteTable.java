package org.switchboard.router.internal;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.switchboard.core.api.CallerId;
import org.switchboard.core.spi.LineKind;
import org.switchboard.core.route.Destination;

/**
 * A validated routes file: the time zone, schedules, holidays and working weekends, number lists,
 * and the routes in order. The first route whose every condition holds takes the call.
 */
final class RouteTable {

    /** A condition on the time: open or closed by a schedule, or a holiday. */
    record When(String schedule, boolean negated) {
        static final String HOLIDAY = "holiday";

        @Override
        public String toString() {
            return (negated ? "not " : "") + schedule;
        }
    }

    /** A number condition: patterns, a named list, or the absence of a number. */
    record From(List<NumberPattern> patterns, String list, boolean withheld, boolean unknown, boolean negated) {
        @Override
        public String toString() {
            String s = list != null ? "list:" + list : withheld ? "withheld" : unknown ? "unknown"
                    : String.join(", ", patterns.stream().map(NumberPattern::toString).toList());
            return (negated ? "not " : "") + s;
        }
    }

    record Route(String name, int line, List<String> lines, List<String> trunks, List<NumberPattern> dids, From from,
                 When when, Destination to) {

        String conditions() {
            List<String> c = new ArrayList<>();
            if (!lines.isEmpty()) {
                c.add("line " + String.join(",", lines));
            }
            if (!trunks.isEmpty()) {
                c.add("trunk " + String.join(",", trunks));
            }
            if (!dids.isEmpty()) {
                c.add("did " + String.join(",", dids.stream().map(NumberPattern::toString).toList()));
            }
            if (from != null) {
                c.add("from " + from);
            }
            if (when != null) {
                c.add("when " + when);
            }
            return c.isEmpty() ? "always" : String.join("; ", c);
        }
    }

    /** What the router knows about a call when it decides. */
    record CallFacts(String lineId, LineKind kind, String did, CallerId callerId, ZonedDateTime at) {
    }

    /** The route taken (null when none matched: the fallback), and why, route by route. */
    record Decision(Route route, Destination destination, List<String> why) {
    }

    final Path source;
    final ZoneId zone;
    final Map<String, WeekSchedule> schedules;
    final Set<LocalDate> holidays;
    final Set<LocalDate> workdays;
    final Map<String, List<NumberPattern>> lists;
    final List<Route> routes;
    final Destination fallback;

    RouteTable(Path source, ZoneId zone, Map<String, WeekSchedule> schedules, Set<LocalDate> holidays, Set<LocalDate> workdays,
               Map<String, List<NumberPattern>> lists, List<Route> routes, Destination fallback) {
        this.source = source;
        this.zone = zone;
        this.schedules = Map.copyOf(schedules);
        this.holidays = Set.copyOf(holidays);
        this.workdays = Set.copyOf(workdays);
        this.lists = Map.copyOf(lists);
        this.routes = List.copyOf(routes);
        this.fallback = fallback;
    }

    /** The first route that matches, with the reason each earlier one did not. */
    Decision decide(CallFacts f) {
        ZonedDateTime at = f.at().withZoneSameInstant(zone);
        List<String> why = new ArrayList<>();
        for (Route r : routes) {
            String miss = miss(r, f, at);
            if (miss == null) {
                why.add("route '" + r.name() + "' (line " + r.line() + ") matches: " + r.conditions());
                return new Decision(r, r.to(), why);
            }
            why.add("route '" + r.name() + "' does not match: " + miss);
        }
        why.add("no route matches: the fallback " + fallback + " takes the call");
        return new Decision(null, fallback, why);
    }

    /** Null when the route matches, else the first condition that fails. */
    private String miss(Route r, CallFacts f, ZonedDateTime at) {
        if (!r.lines().isEmpty() && r.lines().stream().noneMatch(g -> glob(g, f.lineId()))) {
            return "line " + f.lineId() + " is not " + String.join(" or ", r.lines());
        }
        if (!r.trunks().isEmpty() && (f.kind() != LineKind.SIP_TRUNK || r.trunks().stream().noneMatch(g -> glob(g, f.lineId())))) {
            return f.kind() == LineKind.SIP_TRUNK ? "trunk " + f.lineId() + " is not " + String.join(" or ", r.trunks())
                    : "the call did not come from a SIP trunk";
        }
        if (!r.dids().isEmpty() && r.dids().stream().noneMatch(p -> p.matches(f.did()))) {
            return "DID '" + f.did() + "' is not " + String.join(" or ", r.dids().stream().map(NumberPattern::toString).toList());
        }
        if (r.from() != null) {
            boolean m = fromMatches(r.from(), f.callerId());
            if (m == r.from().negated()) {
                return "caller " + f.callerId().display() + (r.from().negated() ? " is " : " is not ") + r.from().toString().replace("not ", "");
            }
        }
        if (r.when() != null) {
            boolean holds = holds(r.when().schedule(), at);
            if (holds == r.when().negated()) {
                return at.toLocalDateTime().withSecond(0).withNano(0) + " " + at.getZone() + " is "
                        + (holds ? "" : "not ") + describeWhen(r.when().schedule());
            }
        }
        return null;
    }

    private String describeWhen(String schedule) {
        return schedule.equals(When.HOLIDAY) ? "a holiday" : "within schedule '" + schedule + "'";
    }

    private boolean fromMatches(From from, CallerId c) {
        if (from.withheld()) {
            return c.presentation() == CallerId.Presentation.RESTRICTED;
        }
        if (from.unknown()) {
            return c.number().isEmpty();
        }
        List<NumberPattern> ps = from.list() != null ? lists.getOrDefault(from.list(), List.of()) : from.patterns();
        return !c.number().isEmpty() && ps.stream().anyMatch(p -> p.matches(c.number()));
    }

    /** Whether a schedule is open (holidays closed, working weekends as Monday) or, for "holiday", it is one. */
    boolean holds(String schedule, ZonedDateTime at) {
        ZonedDateTime local = at.withZoneSameInstant(zone);
        LocalDate day = local.toLocalDate();
        if (schedule.equals(When.HOLIDAY)) {
            return holidays.contains(day);
        }
        WeekSchedule s = schedules.get(schedule);
        if (s == null || holidays.contains(day)) {
            return false;
        }
        DayOfWeek dow = workdays.contains(day) ? DayOfWeek.MONDAY : local.getDayOfWeek();
        return s.open(dow, local.toLocalTime());
    }

    static boolean glob(String glob, String id) {
        if (glob.endsWith("*")) {
            return id.startsWith(glob.substring(0, glob.length() - 1));
        }
        return glob.equals(id);
    }
}
