package org.switchboard.ivr.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.switchboard.config.YamlFile;

/** What the ivr: commands print, computed here so the commands stay thin. */
public final class IvrShell {

    private IvrShell() {
    }

    /** ivr:list: name, nodes, languages, loaded, state. */
    public static List<String[]> list(IvrService ivr) {
        List<String[]> rows = new ArrayList<>();
        Map<String, List<YamlFile.Problem>> refused = ivr.refused();
        for (Menu m : ivr.menus().values()) {
            List<YamlFile.Problem> p = refused.get(m.name());
            rows.add(new String[] {m.name(), Integer.toString(m.nodes().size()), String.join(",", m.languages()), m.loaded().toString(),
                    p == null ? "serving" : "serving the previous version; the file has " + p.size() + " problems (ivr:validate)"});
        }
        for (Map.Entry<String, List<YamlFile.Problem>> e : refused.entrySet()) {
            if (!ivr.menus().containsKey(e.getKey())) {
                rows.add(new String[] {e.getKey(), "-", "-", "-", "REFUSED: " + e.getValue().get(0)});
            }
        }
        return rows;
    }

    /** ivr:show: the tree of one menu. */
    public static List<String> show(IvrService ivr, String name) {
        Menu m = menu(ivr, name);
        List<String> out = new ArrayList<>();
        out.add("Menu " + m.name() + " (" + m.file() + "), languages " + m.languages() + ", starts in " + m.language() + " at node " + m.start());
        for (Menu.Node n : m.nodes().values()) {
            out.add("node " + n.name() + (n.name().equals(m.start()) ? " (start)" : "") + ": prompts " + n.prompts()
                    + (n.collects() ? ", waits " + n.timeoutMs() / 1000 + " s, " + n.retries() + " tries"
                    + (n.bargeIn() ? ", keys cut the prompts" : "") : ""));
            n.options().forEach((k, a) -> out.add("  " + k + " -> " + a));
            if (n.directDial() > 0) {
                out.add("  any " + n.directDial() + " digits -> that extension");
            }
            if (n.collects()) {
                out.add("  after " + n.retries() + " failures -> " + n.failed());
            } else {
                out.add("  then -> " + (n.then() == null ? "hangup" : n.then()));
            }
        }
        return out;
    }

    /**
     * ivr:walk: a dry run. Each comma-separated item is what the caller does at one prompt: keys,
     * or "-" for nothing (the timeout).
     */
    public static List<String> walk(IvrService ivr, String name, String digits, String language) {
        Menu m = menu(ivr, name);
        if (language != null && !m.languages().contains(language)) {
            throw new IllegalArgumentException("--lang '" + language + "': menu " + name + " has " + m.languages());
        }
        List<String> inputs = new ArrayList<>();
        if (digits != null && !digits.isBlank()) {
            for (String d : digits.split(",")) {
                String t = d.trim();
                if (!t.equals("-") && !t.matches("[0-9*#]{1,16}")) {
                    throw new IllegalArgumentException("--digits '" + d + "': allowed: keys 0-9 * #, or - for no key, separated by commas");
                }
                inputs.add(t.equals("-") ? "" : t);
            }
        }
        MenuMachine mm = new MenuMachine(m, language);
        List<String> out = new ArrayList<>();
        MenuMachine.Step step = mm.start();
        int next = 0;
        for (int guard = 0; guard < 200; guard++) {
            if (step instanceof MenuMachine.Prompt p) {
                out.add("[" + mm.node() + "] plays " + p.prompts() + " in " + p.language() + (p.bargeIn() && p.collect() != null ? " (keys cut it)" : ""));
                if (p.collect() == null) {
                    step = mm.afterPrompt();
                    continue;
                }
                if (next >= inputs.size()) {
                    out.add("... waits for a key (" + p.collect().firstDigitTimeout().toSeconds() + " s)");
                    return out;
                }
                String in = inputs.get(next++);
                out.add(in.isEmpty() ? "  caller presses nothing" : "  caller presses " + in);
                step = mm.input(in);
            } else if (step instanceof MenuMachine.Leave l) {
                out.add("=> " + l.destination() + "  (" + l.why() + ")");
                return out;
            } else if (step instanceof MenuMachine.Hangup h) {
                out.add("=> hang up  (" + h.why() + ")");
                return out;
            } else if (step instanceof MenuMachine.RunAction a) {
                out.add("=> IVR action " + a.action() + " gets " + a.digits() + (ivr.actions().containsKey(a.action()) ? ""
                        : " (not installed: outcome 'unavailable')") + "; what it answers decides the next step");
                return out;
            }
        }
        out.add("(stopped after 200 steps)");
        return out;
    }

    /** ivr:calls: leg, menu, node, language, time in the menu. */
    public static List<String[]> calls(IvrService ivr) {
        List<String[]> rows = new ArrayList<>();
        for (IvrService.Session s : ivr.sessions().values()) {
            Duration d = Duration.between(s.since, Instant.now());
            rows.add(new String[] {s.channel.id(), s.channel.callerId().display(), s.machine.menu().name(), s.machine.node(),
                    s.machine.language(), d.toMinutes() + ":" + String.format("%02d", d.toSecondsPart())});
        }
        return rows;
    }

    public static List<String> validate(IvrService ivr, String file) {
        Path p = Path.of(file);
        if (!p.isAbsolute()) {
            p = Path.of(System.getProperty("karaf.home", ".")).resolve(p);
        }
        List<YamlFile.Problem> problems = ivr.validate(p);
        if (problems.isEmpty()) {
            return List.of(p + ": valid" + (p.getParent() != null && p.getParent().equals(ivr.menusDir())
                    ? " (it serves within 2 s of being saved)" : " (copy it to " + ivr.menusDir() + " to use it)"));
        }
        List<String> out = new ArrayList<>();
        out.add(p + ": " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":");
        problems.forEach(x -> out.add("  " + x));
        return out;
    }

    private static Menu menu(IvrService ivr, String name) {
        Menu m = ivr.menus().get(name);
        if (m == null) {
            throw new IllegalArgumentException("no menu '" + name + "'; menus: " + String.join(", ", ivr.menus().keySet())
                    + (ivr.refused().containsKey(name) ? " (" + name + ".yaml was refused: ivr:validate " + ivr.menusDir().resolve(name + ".yaml") + ")" : ""));
        }
        return m;
    }
}
