package org.switchboard.router.internal;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.switchboard.config.YamlFile;
import org.switchboard.core.api.CallerId;
import org.switchboard.core.spi.Line;
import org.switchboard.core.spi.LineKind;

/** What the router's shell commands show, computed here so the commands stay thin. */
public final class RouterShell {

    /** router:routes. Each route: name, conditions, destination. */
    public record View(String file, boolean loaded, String zone, List<String[]> routes, String fallback, Map<String, String> schedules,
                       String holidays, String workdays, Set<String> served, long routed, long fellBack, List<String> refused) {
    }

    private RouterShell() {
    }

    public static View view(Router r) {
        RouteTable t = r.table().orElse(null);
        List<String[]> routes = new ArrayList<>();
        Map<String, String> schedules = new LinkedHashMap<>();
        if (t != null) {
            for (RouteTable.Route x : t.routes) {
                routes.add(new String[] {x.name(), x.conditions(), x.to().toString()});
            }
            t.schedules.forEach((k, v) -> schedules.put(k, v.describe()));
        }
        return new View(r.file().toString(), t != null, t == null ? "-" : t.zone.getId(), routes,
                t == null ? "reject" : t.fallback.toString(), schedules,
                t == null ? "-" : summary(t.holidays), t == null ? "-" : summary(t.workdays), r.destinations().keySet(),
                r.routed(), r.fellBack(), r.refused().stream().map(YamlFile.Problem::toString).toList());
    }

    private static String summary(Set<LocalDate> days) {
        if (days.isEmpty()) {
            return "none";
        }
        List<LocalDate> sorted = days.stream().sorted().toList();
        return sorted.size() + " days, " + sorted.get(0) + " to " + sorted.get(sorted.size() - 1);
    }

    /** router:test: the decision, line by line. */
    public static List<String> test(Router r, String lineId, String did, String from, String at) {
        RouteTable t = r.table().orElseThrow(() -> new IllegalArgumentException("no routes loaded from " + r.file()
                + (r.refused().isEmpty() ? "" : ": " + r.refused().get(0))));
        Line line = r.lineOf(lineId);
        if (line == null) {
            throw new IllegalArgumentException("no line '" + lineId + "' (see line:list)");
        }
        CallerId caller;
        if (from == null || from.equals("unknown")) {
            caller = CallerId.UNKNOWN;
        } else if (from.equals("withheld")) {
            caller = CallerId.withheld();
        } else if (from.matches("\\+?[0-9]{1,32}")) {
            caller = CallerId.of(from);
        } else {
            throw new IllegalArgumentException("--from '" + from + "': allowed: a number, withheld or unknown");
        }
        ZonedDateTime when = ZonedDateTime.now(t.zone);
        if (at != null) {
            try {
                when = at.contains("T") ? LocalDateTime.parse(at).atZone(t.zone) : LocalDate.now(t.zone).atTime(LocalTime.parse(at)).atZone(t.zone);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--at '" + at + "': allowed: 2026-11-23T20:30 or 20:30");
            }
        }
        String called = did == null ? line.number() : did;
        List<String> out = new ArrayList<>();
        out.add("Call on " + lineId + " (" + line.kind().name().toLowerCase() + ") to '" + called + "' from " + caller.display()
                + " at " + when.toLocalDateTime().withSecond(0).withNano(0) + " " + t.zone.getId() + " (" + when.getDayOfWeek().name().toLowerCase()
                + (t.holidays.contains(when.toLocalDate()) ? ", a holiday" : t.workdays.contains(when.toLocalDate()) ? ", a working weekend day" : "") + ")");
        if (line.kind() == LineKind.SIP) {
            out.add("Calls between extensions are not routed: it goes to extension:" + called + " as dialled");
            return out;
        }
        RouteTable.Decision d = t.decide(new RouteTable.CallFacts(lineId, line.kind(), called, caller, when));
        for (String w : d.why()) {
            out.add("  " + w);
        }
        String type = d.destination().type();
        boolean served = type.equals("reject") || r.destinations().containsKey(type);
        out.add("=> " + d.destination() + (served ? "" : "  (nothing serves '" + type + "' now: the call would go to the fallback " + t.fallback + ")"));
        return out;
    }
}
